"""The conformance suite: prove that a server (a real Clio account or the emulator) agrees with the spec, and that
clio_appointments does what App Connect's payloads mean on it.

    from clio_conformance import ConformanceOptions, run_conformance, write_junit

    report = run_conformance(ConformanceOptions("https://app.clio.com", token, allow_writes=True))
    write_junit(report, "conformance.xml")
    assert report.passed

Without `allow_writes` only GET requests are sent. With it, the suite also creates, changes and deletes calendar
entries, but only ones it created itself, and deletes all of them before it returns.

The pieces the contract tests reuse (`load_schema`, `Shaper`, `Workspace`, `Exerciser`, `state_machine`,
`Behaviour`) are exported too, so pytest runs the very same requests and checks in-process.
"""

from ._behaviour import Behaviour
from ._checking import Exerciser, TallyBook, checks_for
from ._junit import junit_xml, write_junit
from ._options import DEFAULT_MAX_EXAMPLES, ConformanceOptions, OptionsError
from ._pacing import RateLimitWaits
from ._payloads import Expected, Refused, Row, payload_table
from ._redact import Redactor
from ._results import ConformanceReport, Outcome, TestResult
from ._runner import Listener, run_conformance
from ._shaping import Shaper
from ._spec import FieldCatalog, field_catalog, load_schema, settings_path, spec_path
from ._stateful import state_machine
from ._workspace import MARKER_PROPERTY, KnownIds, SetupError, Workspace

__all__ = [
    "DEFAULT_MAX_EXAMPLES",
    "MARKER_PROPERTY",
    "Behaviour",
    "ConformanceOptions",
    "ConformanceReport",
    "Exerciser",
    "Expected",
    "FieldCatalog",
    "KnownIds",
    "Listener",
    "OptionsError",
    "Outcome",
    "RateLimitWaits",
    "Redactor",
    "Refused",
    "Row",
    "SetupError",
    "Shaper",
    "TallyBook",
    "TestResult",
    "Workspace",
    "checks_for",
    "field_catalog",
    "junit_xml",
    "load_schema",
    "payload_table",
    "run_conformance",
    "settings_path",
    "spec_path",
    "state_machine",
    "write_junit",
]
