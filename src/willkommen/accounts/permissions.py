from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from willkommen.accounts.roles import has_role


def staff_view(*roles: str):
    """Decorate a staff view: login required, then one of ``roles`` (any role if none given).

    Anonymous users are sent to the login page; logged-in users without the
    role get a 403 page in their language. Every staff view uses this.
    """
    from willkommen.accounts.roles import Role

    allowed = roles or tuple(Role.values)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.staff_roles = allowed
        return wrapped

    return decorator
