from bangfu.referrals.tests.factories import captured, sms_file, world  # noqa: F401
from bangfu.selfservice.tests.helpers import laborers  # noqa: F401
