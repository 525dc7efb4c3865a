"""Users and roles (administrators): list accounts, add one, change a role, reset a password,
deactivate or reactivate an account. Every change is audit-logged in its own transaction."""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.users import render

user = require_page("users")
render(user)
