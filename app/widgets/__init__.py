"""Widgets every feature shares, one module per concern (import from the module, not from here):

- `states`: loading, empty, error-with-retry, not-found and offline states; `AsyncSection` for one part of a screen
  that loads on its own; `update_if_shown` for loads that finish after the citizen left.
- `paged_list`: `PagedList`, the one list that pages by cursor (scroll and 加载更多), with all its states.
- `forms`: `Form`, the one way to collect input: checks, server errors under their field, one submission.
- `buttons`: icon buttons that carry their accessible name on the button itself.
- `choices`: radio groups (`choice_group`) and dropdowns (`named_dropdown`) with the names screen readers say.
- `tags`: `status_tag`, a short status in white on its colour (a case's or an appeal's status, 督办).
- `search_field`: the search field above a list (Enter hands the trimmed words on) and `full_width` to place it.
- `entries`: `entry_tile`, a row that opens another screen (the entries on 我的).
- `department_list`: the service centre's departments as rows that call the department.

The error boundary every screen gets lives with the shell (`app.shell.boundary`), as do routes.
"""
