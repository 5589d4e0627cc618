"""A community's register: the quorum bases a vote is judged against (docs/covenants.md).

`register_of(community)` is the one way the procedures read it."""

from community.procedures import Register


def register_of(community) -> Register:
    """The register's values now, as the rules read them."""
    return Register(
        adult_residents=community.adult_residents or 0,
        households=community.households or 0,
        representatives=community.representatives or 0,
    )


def snapshot(register: Register) -> dict:
    """The register's values as a vote stores them (JSON)."""
    return {
        "adult_residents": register.adult_residents,
        "households": register.households,
        "committee_members": register.committee_members,
        "representatives": register.representatives,
        "women_representatives": register.women_representatives,
        "groups": [
            {"name": g.name, "adults": g.adults, "households": g.households}
            for g in register.groups
        ],
        "source": register.source,
    }
