"""The supervision committee's rules (docs/disclosure.md, supervision): exclusivity of the
committee and the supervision roles, the 民主理财 publish guard, and the committee's own records."""
