"""Django settings for willkommen.

Every setting that an operator may change is read from the environment in this
package, and only here, one module per topic; each one is documented in
docs/configuration.md. A new app with settings of its own adds a module here and
imports it below.
"""

from willkommen.settings.accounts import *  # noqa: F403
from willkommen.settings.base import *  # noqa: F403
from willkommen.settings.complaints import *  # noqa: F403
from willkommen.settings.database import *  # noqa: F403
from willkommen.settings.events import *  # noqa: F403
from willkommen.settings.intake import *  # noqa: F403
from willkommen.settings.monitoring import *  # noqa: F403
from willkommen.settings.office import *  # noqa: F403
from willkommen.settings.outreach import *  # noqa: F403
from willkommen.settings.payments import *  # noqa: F403
from willkommen.settings.public import *  # noqa: F403
