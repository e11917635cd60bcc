from .access import can_manage_tree, keeps_the_rules, user_role, user_roles


def party_context(request) -> dict:
    """The signed-in user's role, for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "party_role": user_role(user),
        "party_roles": user_roles(user),
        "can_manage_tree": can_manage_tree(user),
        "keeps_the_rules": keeps_the_rules(user),
    }
