"""The workbook contract: tab and column specs, header aliases, cell coercion."""
