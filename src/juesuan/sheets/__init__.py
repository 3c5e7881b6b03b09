"""What goes into a sheet, computed once as plain data, for every writer (openpyxl, the fast
batch writer, the ribbon) to apply."""
