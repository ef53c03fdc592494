"""The reports a hall files: periods, case, ticket and catalog figures, and output as
table, csv, xlsx or json.
"""
