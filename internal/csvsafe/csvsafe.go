// Package csvsafe keeps spreadsheet formulas out of CSV files the project
// writes, and takes the guard off again when it reads them.
package csvsafe

// Spreadsheets run a cell that begins with =, +, - or @ as a formula (and
// some also after a leading tab or carriage return): a name such as
// =HYPERLINK("http://…") or =cmd|' /C calc'!A0 in the graph would run on
// the analyst's machine when the CSV export is opened. Following OWASP's
// advice on CSV injection, CSV exports neutralise such cells with a leading
// apostrophe, which spreadsheets take as "text" and do not show.
//
// Neutralize is reversible: a cell that already begins with an apostrophe
// gets one more, so Unneutralize returns every original value exactly. An
// importer that reads neutralised CSV applies Unneutralize to each cell;
// exports meant to be imported again can skip both with the raw option.

// formulaStart reports whether a spreadsheet would take a cell beginning
// with c as a formula.
func formulaStart(c byte) bool {
	switch c {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// Neutralize returns cell as it is written to a neutralised CSV export.
func Neutralize(cell string) string {
	if cell != "" && (formulaStart(cell[0]) || cell[0] == '\'') {
		return "'" + cell
	}
	return cell
}

// Unneutralize returns the value a cell of a neutralised CSV export holds:
// the inverse of Neutralize.
func Unneutralize(cell string) string {
	if len(cell) >= 2 && cell[0] == '\'' && (formulaStart(cell[1]) || cell[1] == '\'') {
		return cell[1:]
	}
	return cell
}
