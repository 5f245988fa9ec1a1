"""Interface wording (menu labels, prompts, errors), keyed by name, in one place: this package.

Programme facts do not live here: they come from ``knowledge/`` data with their clause ids.
One module per part of the assistant; every name is read as ``texts.NAME``. Edit a module in
place; a name must not be defined twice (tests/test_texts.py holds it).
"""

from conversations.texts.answers import *  # noqa: F403
from conversations.texts.areas import *  # noqa: F403
from conversations.texts.calendar import *  # noqa: F403
from conversations.texts.channels import *  # noqa: F403
from conversations.texts.check import *  # noqa: F403
from conversations.texts.contacts import *  # noqa: F403
from conversations.texts.documents import *  # noqa: F403
from conversations.texts.forward import *  # noqa: F403
from conversations.texts.general import *  # noqa: F403
from conversations.texts.keep import *  # noqa: F403
from conversations.texts.mail import *  # noqa: F403
from conversations.texts.ops import *  # noqa: F403
from conversations.texts.org import *  # noqa: F403
from conversations.texts.organizers import *  # noqa: F403
from conversations.texts.profile import *  # noqa: F403
