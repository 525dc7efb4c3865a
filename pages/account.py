"""Change my password: any signed-in person with a dashboard password changes it here.

The new password must meet the same policy as one set by an administrator (at least 12
characters, not a common password, not containing the user name). Every other session of the
person ends, so a browser left signed in elsewhere is signed out. A wrong current password counts
as a failed sign-in (five lock the account), so this form cannot be used to guess it.
"""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.account import render

user = require_page("account")
render(user)
