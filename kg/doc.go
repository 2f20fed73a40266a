// Package kg is the domain of the Vietnam–Japan cooperation knowledge graph:
// entities, relationships, sources and citations, their validation, the
// error vocabulary, and the Store interface that every backend implements.
//
// It imports nothing of the project, so that backends (bolt, neo4j), the
// traversal algorithms and the GraphQL layer all depend on it and not on each
// other.
package kg
