"""The person page's and the employer page's 收款账户 card: `{% load payouts %}{% payee_account person %}`
(or an employer): bank and masked account, and a link to enter or change it."""

from django import template

from bangfu.payouts.models import PayeeAccount

register = template.Library()


@register.inclusion_tag("payouts/_payee_account.html")
def payee_account(payee):
    from bangfu.registry.models import Person

    is_person = isinstance(payee, Person)
    found = PayeeAccount.objects.filter(**{"person" if is_person else "employer": payee}).first()
    return {"payee": payee, "account": found, "is_person": is_person}
