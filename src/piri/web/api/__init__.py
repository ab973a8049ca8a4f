"""The versioned JSON API, ``/api/v1``: one router per capability, errors with a stable code."""
