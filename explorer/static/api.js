// The explorer's GraphQL client and the documents it sends. Everything goes
// to /graphql on the page's own origin as POST {query, variables}.

/** An error the API reported, or a failure to reach it. */
export class APIError extends Error {
  constructor(message, code) {
    super(message);
    this.name = 'APIError';
    this.code = code;
  }
}

/**
 * Sends one GraphQL document and returns its data. Throws an APIError carrying
 * the first error's message and extensions.code, so that callers show it
 * rather than work on partial data.
 */
export async function gql(query, variables = {}) {
  let res;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
  } catch (err) {
    throw new APIError(`cannot reach the API (${err.message})`, 'NETWORK_ERROR');
  }
  let body;
  try {
    body = await res.json();
  } catch {
    throw new APIError(`the API answered ${res.status} ${res.statusText} without JSON`, `HTTP_${res.status}`);
  }
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    const first = body.errors[0];
    throw new APIError(first.message || 'unknown error', (first.extensions && first.extensions.code) || 'ERROR');
  }
  if (!res.ok || !body.data) {
    throw new APIError(`the API answered ${res.status} ${res.statusText}`, `HTTP_${res.status}`);
  }
  return body.data;
}

const ENTITY_HEAD = `id kind name localNames { lang value }`;

export const SEARCH = `query Search($text: String!, $first: Int) {
  search(text: $text, first: $first) { score entity { ${ENTITY_HEAD} } }
}`;

export const ENTITY = `query Entity($id: ID!, $asOf: Date) {
  entity(id: $id) {
    ${ENTITY_HEAD}
    aliases
    description
    ... on Locality { localityType country isoCode validFrom { value } validTo { value } }
    ... on Agreement { agreementType date { value } endDate { value } topics }
    ... on Event { eventType startDate { value } endDate { value } topics }
    ... on Organization { organizationType country founded { value } dissolved { value } }
    ... on Official { officialType country }
    figures { label value unit qualifier date { value } source { quote source { title } } }
    sources { quote source { id title publisher url published { value } } }
    relationships(first: 100, asOf: $asOf) {
      totalCount
      edges {
        type direction role
        validFrom { value } validTo { value }
        properties { key value }
        node { id name kind }
        sources { quote source { title } }
      }
    }
  }
}`;

const SUBGRAPH_RELATIONSHIP = `id type from { id } to { id } validFrom { value } validTo { value }`;

export const NEIGHBORHOOD = `query Neighborhood($id: ID!, $depth: Int, $relationTypes: [RelationType!], $kinds: [EntityKind!], $asOf: Date, $limit: Int) {
  neighborhood(id: $id, depth: $depth, relationTypes: $relationTypes, kinds: $kinds, asOf: $asOf, limit: $limit) {
    nodes { ${ENTITY_HEAD} }
    relationships { ${SUBGRAPH_RELATIONSHIP} }
    depths { id depth }
    truncated
  }
}`;

export const PATHS = `query Paths($from: ID!, $to: ID!, $relationTypes: [RelationType!], $kinds: [EntityKind!], $asOf: Date) {
  target: entity(id: $to) { id name kind }
  paths(from: $from, to: $to, relationTypes: $relationTypes, kinds: $kinds, asOf: $asOf, first: 5) {
    length
    nodes { ${ENTITY_HEAD} }
    relationships { ${SUBGRAPH_RELATIONSHIP} }
  }
}`;

export const RELATION_TYPES = `query RelationTypes {
  relationTypes { type fromKinds toKinds description }
}`;
