"""发布: officers publish, edit and repeal their department's documents from the workbench."""
