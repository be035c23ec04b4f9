"""Staff single sign-on over OpenID Connect (mozilla-django-oidc), off until configured.

``backend`` checks the provider's answer and hands the verified claims to
``services.sign_in_from_provider``; ``views`` starts the sign-on, receives the
callback and builds the provider's logout address.
"""
