"""Each theme's own section ("... in detail"): its heading and the function that draws it."""

from __future__ import annotations

from collections.abc import Callable

from dashboard.views.theme.context import ThemeContext
from dashboard.views.theme.details.complex_safeguarding import complex_safeguarding_section
from dashboard.views.theme.details.early_help import early_help_section
from dashboard.views.theme.details.mash import mash_section
from dashboard.views.theme.details.neglect import neglect_section
from dashboard.views.theme.details.training import training_section

THEME_SECTIONS: dict[str, tuple[str, Callable[[ThemeContext], None]]] = {
    "early_help": ("Early help in detail", early_help_section),
    "mash": ("The front door in detail", mash_section),
    "neglect": ("Neglect in detail", neglect_section),
    "complex_safeguarding": ("Exploitation and missing in detail", complex_safeguarding_section),
    "training": ("Training in detail", training_section),
}
