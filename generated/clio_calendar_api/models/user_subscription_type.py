from typing import Literal

UserSubscriptionType = Literal["Attorney", "NonAttorney"]

USER_SUBSCRIPTION_TYPE_VALUES: set[UserSubscriptionType] = {
    "Attorney",
    "NonAttorney",
}


def check_user_subscription_type(value: str) -> UserSubscriptionType:
    if value in USER_SUBSCRIPTION_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {USER_SUBSCRIPTION_TYPE_VALUES!r}")
