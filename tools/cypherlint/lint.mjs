// Lints Cypher statements with Neo4j's own front end
// (@neo4j-cypher/language-support): parser and semantic analysis.
//
//   node lint.mjs statements.json
//
// statements.json: {"schema": DbSchema, "statements": [{"name", "cypher", "params": {name: sample}}]}
// Prints, as JSON, every statement's diagnostics: [{"name", "diagnostics": [{"severity", "message"}]}]
// (severity 1 is an error, 2 a warning).
import { readFileSync } from 'node:fs';
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const out = input.statements.map((st) => {
  const schema = { ...input.schema, parameters: st.params ?? {} };
  const { diagnostics } = lintCypherQuery(st.cypher, schema);
  return {
    name: st.name,
    diagnostics: diagnostics.map((d) => ({ severity: d.severity, message: d.message })),
  };
});
process.stdout.write(JSON.stringify(out));
