from storefront.audit import models as _audit_models  # noqa: F401
from storefront.office import models as _office_models  # noqa: F401
