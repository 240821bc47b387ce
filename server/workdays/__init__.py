"""Chinese working days: statutory holidays and make-up working days (调休) from a table in the database."""
