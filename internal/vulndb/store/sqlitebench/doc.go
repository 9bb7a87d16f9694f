// Package sqlitebench compares trawl's bbolt vulnerability store with the
// same data in SQLite (modernc.org/sqlite, pure Go). It is a separate module
// so that the SQLite driver never enters trawl's own go.mod; see
// docs/vulndb.md for the figures and how to run it.
package sqlitebench
