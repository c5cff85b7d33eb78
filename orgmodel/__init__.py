"""orgmodel: how an organisation's structure changes over time."""

from orgmodel.errors import OrgModelError

__all__ = ["OrgModelError"]
__version__ = "0.1.0"
