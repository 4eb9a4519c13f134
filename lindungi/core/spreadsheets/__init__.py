"""The spreadsheet kit every upload uses (worker lists, BPJS answers, billing statements, target
figures): `readers` turns an .xlsx or .csv into text columns with Excel's row numbers, `columns`
finds the header row under the names people write, `rows` recognises what is not data, and
`errors` says why a file cannot be read."""
