"""What every controlling page shares: who may see it."""

from willkommen.accounts.permissions import staff_view
from willkommen.accounts.roles import Role

controlling_view = staff_view(Role.TEAM_LEAD, Role.CONTROLLER)
