"""工作台: the officers' workbench."""
