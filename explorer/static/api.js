// The explorer's GraphQL client and the documents it sends. Everything goes
// to /graphql on the page's own origin as POST {query, variables}.

/**
 * How many requests each operation has sent, by operation name: the browser
 * tests read it (through window.explorer) to check that typing and sliding
 * are debounced, and an analyst can see it at the console.
 */
export const requests = {};

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
  const op = (query.match(/^\s*(?:query|mutation)\s+(\w+)/) || [])[1] || 'anonymous';
  requests[op] = (requests[op] || 0) + 1;
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

const DAY = 'value earliest latest';

// What a node of the network needs: its name and kind, its type and
// country (to colour by), and the dates it exists between (the time slider
// hides an entity outside them: a province after its merger).
const NODE = `${ENTITY_HEAD}
  ... on Locality { localityType country from: validFrom { ${DAY} } to: validTo { ${DAY} } }
  ... on Organization { organizationType country from: founded { ${DAY} } to: dissolved { ${DAY} } }
  ... on Agreement { agreementType from: date { ${DAY} } to: endDate { ${DAY} } }
  ... on Event { eventType from: startDate { ${DAY} } }
  ... on Official { officialType country }`;

// reportedOn: the days a relationship without validity dates is reported
// on, from which time.js works out its status on the slider's day.
const SUBGRAPH_RELATIONSHIP = `id type role from { id } to { id } validFrom { ${DAY} } validTo { ${DAY} } reportedOn { ${DAY} }`;

export const NEIGHBORHOOD = `query Neighborhood($id: ID!, $depth: Int, $relationTypes: [RelationType!], $kinds: [EntityKind!], $asOf: Date, $limit: Int) {
  neighborhood(id: $id, depth: $depth, relationTypes: $relationTypes, kinds: $kinds, asOf: $asOf, limit: $limit) {
    nodes { ${NODE} }
    relationships { ${SUBGRAPH_RELATIONSHIP} }
    depths { id depth }
    truncated
  }
}`;

/**
 * The paths between two entities, ranked by how specific they are (rank
 * SPECIFIC: the shortest and those one hop longer, best score first), off
 * the entities to avoid and the hubs above maxDegree; the avoided entities'
 * names, for the panel.
 */
export const PATHS = `query Paths($from: ID!, $to: ID!, $relationTypes: [RelationType!], $kinds: [EntityKind!], $asOf: Date,
    $avoid: [ID!]!, $maxDegree: Int, $first: Int) {
  target: entity(id: $to) { id name kind }
  avoided: nodes(ids: $avoid) { id ... on Entity { name kind } }
  paths(from: $from, to: $to, relationTypes: $relationTypes, kinds: $kinds, asOf: $asOf, first: $first,
      avoid: $avoid, maxDegree: $maxDegree, rank: SPECIFIC) {
    length score
    nodes { ${NODE} }
    relationships { ${SUBGRAPH_RELATIONSHIP} }
  }
}`;

/** A relationship with everything the details card shows. */
export const RELATIONSHIP = `query Relationship($id: ID!, $day: Date) {
  relationship(id: $id) {
    id type role
    properties { key value }
    validFrom { value } validTo { value }
    reportedOn { value }
    status(on: $day)
    from { id name kind } to { id name kind }
    sources { quote source { id title publisher url published { value } } }
  }
}`;

/** Network measures of the open entity's neighbourhood, to size nodes by. */
export const MEASURES = `query Measures($id: ID, $depth: Int, $relationTypes: [RelationType!], $kinds: [EntityKind!], $asOf: Date, $orderBy: Measure, $first: Int) {
  measures(id: $id, depth: $depth, relationTypes: $relationTypes, kinds: $kinds, asOf: $asOf, limit: 1000, orderBy: $orderBy, first: $first) {
    entity { id } degree betweenness pageRank
  }
}`;

export const RELATION_TYPES = `query RelationTypes {
  relationTypes { type fromKinds toKinds description }
}`;
