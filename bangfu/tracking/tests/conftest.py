from bangfu.referrals.tests.factories import captured, sms_file, world  # noqa: F401
