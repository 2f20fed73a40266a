// Starts GraphiQL (vendored, see vendor/README.md) against this server's
// /graphql. It is a file rather than an inline script so that the page's
// Content-Security-Policy can allow scripts from 'self' only.
/* global React, ReactDOM, GraphiQL */
(() => {
  const url = new URL('/graphql', window.location.href).href;
  const defaultQuery = `# The schema, every field described, is in the Docs pane (book icon)
# and downloadable as SDL from /schema.graphql.
{
  locality(id: "locality:fukuoka") {
    name
    agreements(first: 5) {
      edges {
        node { name }
        sources { quote source { title } }
      }
    }
  }
}
`;
  const root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: GraphiQL.createFetcher({ url }),
    defaultQuery,
    defaultEditorToolsVisibility: true,
    isHeadersEditorEnabled: true,
  }));
})();
