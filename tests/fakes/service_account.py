"""A service-account key file whose token_uri is the fake's token endpoint, as Google issues them."""
from __future__ import annotations

import functools
import json
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ACCOUNT = "planner-bot@fake-project.iam.gserviceaccount.com"


@functools.cache
def _private_key_pem() -> str:
    # One key per test session: generating RSA keys is the slow part.
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def write_key_file(path: Path, token_uri: str) -> Path:
    path.write_text(json.dumps({
        "type": "service_account",
        "project_id": "fake-project",
        "private_key_id": "0123456789abcdef",
        "private_key": _private_key_pem(),
        "client_email": ACCOUNT,
        "client_id": "100000000000000000000",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
    }))
    return path
