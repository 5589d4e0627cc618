from wagtail.users.apps import WagtailUsersAppConfig


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with user forms that refuse a committee member on the same community's
    supervision committee (Wagtail 8 customises its user forms through the user viewset)."""

    user_viewset = "community.supervision.users.UserViewSet"
