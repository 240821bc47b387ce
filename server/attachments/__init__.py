"""Uploaded files, generic: applications cite them as materials, appeals as evidence."""
