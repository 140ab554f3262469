"""Sending one text message (SMS) through a provider, behind one small interface.

``SmsProvider.send(phone, text)`` returns the provider's message id or raises ``SmsError``; the
outbox (services.py) calls it after the commit, with retries and backoff like e-mail. One real
provider is implemented: eSMS.vn's REST API (``SMS_PROVIDER=esms``). Without a provider the
message is written to the log (status ``logged``) and shown on the dev outbox page.

eSMS.vn's developer documentation, "Send OTP/Customer care message" (published from
github.com/devesms/gitbook_esms_for_develop_v2_en, esms-api/send-sms-api/
send-otp-customer-care-message.md):
``POST https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/`` with JSON
``{"ApiKey", "SecretKey", "Phone", "Content", "Brandname", "SmsType": "2", "IsUnicode",
"Sandbox", "RequestId"}``; the answer is JSON ``{"CodeResult": "100", "CountRegenerate": 0,
"SMSID": "…"}`` when accepted, another CodeResult with ``ErrorMessage`` when not (101
"Authorize Failed", 104 brand name unknown, 124 "Request exist" = this RequestId was sent
already, 146 template not registered, …). SmsType 2 is the customer-care / OTP type sent under a
registered brand name. RequestId is the outbox message's id, so a retry after a lost answer is
refused as a duplicate (124) instead of sent twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import requests

ESMS_URL = "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/"
ESMS_ACCEPTED = "100"
ESMS_DUPLICATE = "124"  # this RequestId was accepted before: the message is on its way
TIMEOUT_SECONDS = 10


class SmsError(Exception):
    """The provider did not take the message (the outbox retries, then gives up)."""


class SmsProvider(Protocol):
    def send(self, phone: str, text: str, *, request_id: str) -> str:
        """Hand one message to the provider; its message id, or SmsError."""
        ...


@dataclass(frozen=True)
class EsmsProvider:
    api_key: str
    secret_key: str
    brandname: str
    sandbox: bool = False
    url: str = ESMS_URL

    def send(self, phone: str, text: str, *, request_id: str) -> str:
        body = {
            "ApiKey": self.api_key,
            "SecretKey": self.secret_key,
            "Phone": phone,
            "Content": text,
            "Brandname": self.brandname,
            "SmsType": "2",
            "IsUnicode": "0" if text.isascii() else "1",
            "Sandbox": "1" if self.sandbox else "0",
            "RequestId": request_id,
        }
        try:
            response = requests.post(self.url, json=body, timeout=TIMEOUT_SECONDS)
            answer = response.json()
        except (requests.RequestException, ValueError) as error:
            raise SmsError(f"eSMS unreachable or not JSON: {error}") from error
        if not isinstance(answer, dict):
            raise SmsError(f"eSMS answered {response.status_code} without a result")
        code = str(answer.get("CodeResult", ""))
        if code == ESMS_ACCEPTED:
            return str(answer.get("SMSID") or "")
        if code == ESMS_DUPLICATE:
            return f"duplicate:{request_id}"
        raise SmsError(f"eSMS CodeResult {code or '?'}: {answer.get('ErrorMessage') or answer}")


def provider_from(config: Mapping[str, Any]) -> SmsProvider | None:
    """The provider the configuration names (``SMS_PROVIDER``), or None (messages are logged)."""
    if (config.get("SMS_PROVIDER") or "").lower() != "esms":
        return None
    return EsmsProvider(
        api_key=config["ESMS_API_KEY"],
        secret_key=config["ESMS_SECRET_KEY"],
        brandname=config["ESMS_BRANDNAME"],
        sandbox=bool(config.get("ESMS_SANDBOX")),
    )
