"""PostgreSQL least privilege on the real server: an owner role migrates, ``db roles --apply`` sets
up the app role, the app role does a whole visit through the store, and as the app role every way
round the audit trail is refused by PostgreSQL itself (permission denied / must be owner).

Both roles are ordinary (non-superuser) login roles made by the test with unique names, in a schema
of their own; all of it is dropped at the end. Without a server the tests skip (fail under CI=true).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
import sqlalchemy as sa

import main
from models.case import EncounterInfo, Patient
from models.privileges import SCHEMA_OWNER, SUPERUSER
from models.roles import APP_UPDATES, RoleNameError, RolePlan, roles_sql
from models.store import Actor, FinalizedError, SignInError, Store, StoreError
from tests.conftest import PG_DATABASE, PG_HOST, PG_PORT, _postgres_or_skip

ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")
INFO = EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left")
JANE = Patient("P-2001", "Doe", "Jane", dt.date(1961, 4, 2), "female")


@dataclass
class Roles:
    owner: str
    app: str
    schema: str
    admin: sa.Engine

    def url(self, user: str) -> str:
        return (f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{PG_DATABASE}"
                f"?options=-csearch_path%3D{self.schema}")

    def connect(self, user: str) -> psycopg.Connection:  # type: ignore[type-arg]
        return psycopg.connect(host=PG_HOST, port=PG_PORT, dbname=PG_DATABASE, user=user, autocommit=True,
                               options=f"-csearch_path={self.schema}", connect_timeout=5)


@pytest.fixture(name="roles")
def roles_fixture() -> Iterator[Roles]:
    """Two new non-superuser login roles and a schema owned by the first, dropped afterwards."""
    admin_user = _postgres_or_skip()
    token = secrets.token_hex(5)
    roles = Roles(owner=f"kc_owner_{token}", app=f"kc_app_{token}", schema=f"kc_roles_{token}",
                  admin=sa.create_engine(f"postgresql+psycopg://{admin_user}@{PG_HOST}:{PG_PORT}/{PG_DATABASE}",
                                         isolation_level="AUTOCOMMIT"))
    with roles.admin.connect() as conn:
        if not conn.exec_driver_sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").scalar():
            pytest.skip(f"the test user {admin_user} is not a PostgreSQL superuser: it cannot make test roles")
        conn.exec_driver_sql(f"CREATE ROLE {roles.owner} LOGIN NOSUPERUSER")
        conn.exec_driver_sql(f"CREATE ROLE {roles.app} LOGIN NOSUPERUSER")
        conn.exec_driver_sql(f"CREATE SCHEMA {roles.schema} AUTHORIZATION {roles.owner}")
    try:
        yield roles
    finally:
        with roles.admin.connect() as conn:
            # Sessions of the roles (a pool left open by a failed test) would stop DROP ROLE.
            conn.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 f"WHERE usename IN ('{roles.owner}', '{roles.app}')")
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {roles.schema} CASCADE")
            conn.exec_driver_sql(f"DROP OWNED BY {roles.owner}, {roles.app}")
            conn.exec_driver_sql(f"DROP ROLE {roles.app}")
            conn.exec_driver_sql(f"DROP ROLE {roles.owner}")
        roles.admin.dispose()


def _apply(roles: Roles, capsys: pytest.CaptureFixture[str], as_user: str | None = None) -> int:
    code = main.main(["--db", roles.url(as_user or roles.owner), "db", "roles", "--owner", roles.owner,
                      "--app", roles.app, "--apply"])
    return code


@pytest.fixture(name="set_up")
def set_up_fixture(roles: Roles, capsys: pytest.CaptureFixture[str]) -> Roles:
    """The owner migrates the empty schema and applies the roles; a normal visit as the app role
    then leaves a finalized encounter, its amendment and audit rows behind."""
    with Store.open(roles.url(roles.owner)) as owner_store:  # migrates: the owner's job
        assert owner_store.connected_role_risk() == SCHEMA_OWNER
    assert _apply(roles, capsys) == 0, capsys.readouterr().err
    assert f"owned by {roles.owner}" in capsys.readouterr().out
    return roles


@pytest.mark.postgres
def test_the_app_role_does_a_whole_visit_and_is_not_warned_about(set_up: Roles) -> None:
    with Store.open(set_up.url(set_up.app)) as store:
        assert store.connected_role_risk() is None
        patient = store.create_patient(JANE, ACTOR)
        patient = store.update_patient(patient.id, Patient("P-2001", "Doe", "Janet", JANE.birth_date, "female"),
                                       ACTOR, expected_version=patient.version)
        draft = store.create_draft(patient.id, INFO, {"slr": "positive"}, "first", ACTOR)
        draft = store.save_draft(draft.id, draft.version, draft.info, {"slr": "negative"}, "second", ACTOR)
        final = store.finalize(draft.id, draft.version, ACTOR)
        amendment = store.amend(final.id, "wrong knee", ACTOR)
        amendment = store.save_draft(amendment.id, amendment.version, EncounterInfo(INFO.date, INFO.clinician, "right"),
                                     {"slr": "negative"}, "amended", ACTOR)
        store.finalize(amendment.id, amendment.version, ACTOR)
        store.record_event("viewed", ACTOR, encounter_id=final.id)
        # Clinician accounts: created, password changed, disabled (UPDATE and SELECT ... FOR UPDATE).
        store.create_clinician("Dr Ada Example", "correct horse 1", None)
        store.create_clinician("Dr Bea Second", "correct horse 2", ACTOR)
        store.change_password("Dr Bea Second", "correct horse 3", ACTOR)
        store.disable_clinician("Dr Bea Second", ACTOR)
        # Sign-in counts failures per name before each check (INSERT, then UPDATE of sign_in_throttle).
        with pytest.raises(SignInError):
            store.authenticate("Dr Ada Example", "not the password")
        store.authenticate("Dr Ada Example", "correct horse 1")
        assert store.verify() == []
        with pytest.raises(FinalizedError):  # the store says no, then the trigger would
            store.save_draft(final.id, final.version, final.info, {}, "rewritten", ACTOR)
        actions = [event["action"] for event in store.audit_events()]
    assert actions[:4] == ["patient_created", "patient_updated", "encounter_created", "draft_saved"]
    assert "finalized" in actions and "amended" in actions and "clinician_disabled" in actions


@pytest.mark.postgres
@pytest.mark.parametrize("statement, refusal", [
    ("UPDATE audit_event SET detail = 'nothing happened'", "permission denied for table audit_event"),
    ("DELETE FROM audit_event", "permission denied for table audit_event"),
    ("TRUNCATE audit_event", "permission denied for table audit_event"),
    ("UPDATE encounter_revision SET reason = 'rewritten'", "permission denied for table encounter_revision"),
    ("DELETE FROM encounter_revision", "permission denied for table encounter_revision"),
    ("TRUNCATE encounter_revision", "permission denied for table encounter_revision"),
    ("UPDATE assessment SET body = '{}'", "permission denied for table assessment"),
    ("DELETE FROM encounter WHERE status = 'final'", "permission denied for table encounter"),
    ("TRUNCATE encounter CASCADE", "permission denied for table encounter"),
    ("DELETE FROM patient", "permission denied for table patient"),
    ("DELETE FROM clinician", "permission denied for table clinician"),
    ("UPDATE alembic_version SET version_num = '0001_initial'", "permission denied for table alembic_version"),
    # A finalized row: UPDATE is granted on encounter (drafts are saved), the trigger refuses it.
    ("UPDATE encounter SET notes = 'rewritten' WHERE status = 'final'", "a finalized encounter cannot be changed"),
    ("ALTER TABLE audit_event DISABLE TRIGGER ALL", "must be owner of table audit_event"),
    ("ALTER TABLE encounter DISABLE TRIGGER trg_encounter_final", "must be owner of table encounter"),
    ("ALTER TABLE encounter_revision DISABLE TRIGGER USER", "must be owner of table encounter_revision"),
    ("ALTER TABLE audit_event ADD COLUMN note text", "must be owner of table audit_event"),
    ("ALTER TABLE encounter DROP COLUMN notes", "must be owner of table encounter"),
    ("DROP TRIGGER trg_audit_event_append_only ON audit_event", "must be owner of relation audit_event"),
    ("DROP TABLE audit_event", "must be owner of table audit_event"),
    ("CREATE TABLE audit_copy (id int)", "permission denied for schema"),
    ("CREATE OR REPLACE FUNCTION kneecheck_refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
     "$$ BEGIN RETURN NEW; END $$", "permission denied for schema"),
])
def test_the_app_role_is_refused_every_way_round_the_audit_trail(set_up: Roles, statement: str, refusal: str) -> None:
    with Store.open(set_up.url(set_up.app)) as store:  # a finalized encounter and audit rows to aim at
        patient = store.create_patient(JANE, ACTOR)
        draft = store.create_draft(patient.id, INFO, {"slr": "positive"}, "first", ACTOR)
        store.finalize(draft.id, draft.version, ACTOR)
    with set_up.connect(set_up.app) as conn:
        before = conn.execute("SELECT count(*), max(row_hash) FROM audit_event").fetchone()
        with pytest.raises(psycopg.Error) as info:
            conn.execute(statement)
        assert refusal in str(info.value)
        # 42501 insufficient_privilege: PostgreSQL's own refusal; P0001: the trigger's RAISE.
        assert info.value.sqlstate == ("P0001" if "finalized" in refusal else "42501")
        # Unchanged: the rows, the final encounter's notes, and every trigger still enabled.
        assert conn.execute("SELECT count(*), max(row_hash) FROM audit_event").fetchone() == before
        assert conn.execute("SELECT notes FROM encounter WHERE status = 'final'").fetchone() == ("first",)
        disabled = conn.execute("SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                "WHERE n.nspname = %s AND NOT t.tgisinternal AND t.tgenabled = 'D'",
                                (set_up.schema,)).fetchone()
        assert disabled == (0,)


def without_notes(err: str) -> str:
    """stderr without verify's notes ("amcheck not installed: index check skipped" on this server)."""
    return "".join(f"{line}\n" for line in err.splitlines() if not line.startswith("kneecheck: note:"))


EXPECTED_PRIVILEGES = {  # what the app role holds on each table after db roles: exactly this
    "patient": {"SELECT", "INSERT", "UPDATE"},
    "encounter": {"SELECT", "INSERT", "UPDATE"},
    "clinician": {"SELECT", "INSERT", "UPDATE"},
    "sign_in_throttle": {"SELECT", "INSERT", "UPDATE"},  # failed sign-ins per name, reset by success
    "assessment": {"SELECT", "INSERT"},
    "encounter_revision": {"SELECT", "INSERT"},
    "audit_event": {"SELECT", "INSERT"},
    "alembic_version": {"SELECT"},
}


@pytest.mark.postgres
def test_the_app_role_holds_exactly_what_the_app_needs(set_up: Roles) -> None:
    kinds = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
    with set_up.connect(set_up.app) as conn:
        tables = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s",
                                                 (set_up.schema,))]
        held = {table: {kind for kind in kinds if conn.execute(
            "SELECT has_table_privilege(current_user, format('%%I.%%I', %s::text, %s::text), %s)",
            (set_up.schema, table, kind)).fetchone() == (True,)} for table in tables}
        grantable = conn.execute(
            "SELECT count(*) FROM information_schema.table_privileges WHERE grantee = current_user "
            "AND is_grantable = 'YES'").fetchone()
        role = conn.execute("SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls FROM pg_roles "
                            "WHERE rolname = current_user").fetchone()
        create = conn.execute("SELECT has_schema_privilege(%s, 'CREATE')", (set_up.schema,)).fetchone()
    assert held == EXPECTED_PRIVILEGES
    assert grantable == (0,) and role == (False, False, False, False) and create == (False,)


@pytest.mark.postgres
def test_the_owner_can_disable_triggers_and_is_warned_about(set_up: Roles, capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The contrast that makes the refusals above mean something: the owner's login can."""
    monkeypatch.delenv("KNEECHECK_ACCEPT_OWNER_LOGIN")
    with set_up.connect(set_up.owner) as conn:
        conn.execute("BEGIN")
        conn.execute("ALTER TABLE audit_event DISABLE TRIGGER USER")
        conn.execute("ROLLBACK")
    with Store.open(set_up.url(set_up.owner)) as store:
        assert store.connected_role_risk() == SCHEMA_OWNER
    code = main.main(["--db", set_up.url(set_up.owner), "verify"])
    err = capsys.readouterr().err
    assert code == 0
    assert "connected as the owner of its schema" in err and "PostgreSQL roles" in err
    assert main.main(["--db", set_up.url(set_up.app), "verify"]) == 0
    assert "owner of its schema" not in capsys.readouterr().err


@pytest.mark.postgres
def test_a_superuser_is_warned_about(pg_schema_url: str, roles: Roles, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    with roles.admin.connect() as conn:
        superuser = bool(conn.exec_driver_sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").scalar())
    assert superuser  # the fixture skipped otherwise
    with Store.open(pg_schema_url) as store:
        assert store.connected_role_risk() == SUPERUSER
    assert main.main(["--db", pg_schema_url, "verify"]) == 0
    assert without_notes(capsys.readouterr().err) == ""  # $KNEECHECK_ACCEPT_OWNER_LOGIN=1, as every other test has it
    monkeypatch.delenv("KNEECHECK_ACCEPT_OWNER_LOGIN")
    assert main.main(["--db", pg_schema_url, "verify"]) == 0
    assert without_notes(capsys.readouterr().err) == ("kneecheck: warning: KneeCheck is connected as a PostgreSQL superuser: anyone "
                                       "with this login can rewrite audit rows; see README 'PostgreSQL roles'\n")


@pytest.mark.postgres
def test_the_app_role_refuses_to_migrate_and_says_how(roles: Roles, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    # The printed roles run by the owner on the empty schema: the app role finds no KneeCheck schema yet.
    with roles.connect(roles.owner) as conn:
        conn.execute(roles_sql(RolePlan(owner=roles.owner, app=roles.app, schema=roles.schema)))
    monkeypatch.delenv("KNEECHECK_MIGRATE_URL", raising=False)
    with pytest.raises(StoreError) as info:
        Store.open(roles.url(roles.app))
    message = str(info.value)
    assert f"the role {roles.app!r} may not change the schema" in message
    assert "KNEECHECK_MIGRATE_URL" in message and "PostgreSQL roles" in message
    with roles.connect(roles.owner) as conn:  # nothing was created
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = %s", (roles.schema,)).fetchone() == (0,)
    # With the owner's URL for migrations, the app role's start migrates through it and then works.
    monkeypatch.setenv("KNEECHECK_MIGRATE_URL", roles.url(roles.owner))
    with Store.open(roles.url(roles.app)) as store:
        assert store.connected_role_risk() is None
        patient = store.create_patient(JANE, ACTOR)
        draft = store.create_draft(patient.id, INFO, {"slr": "positive"}, "first", ACTOR)
        draft = store.save_draft(draft.id, draft.version, draft.info, {}, "second", ACTOR)  # UPDATE, granted
        store.finalize(draft.id, draft.version, ACTOR)
    with roles.connect(roles.app) as conn:  # the new tables are the owner's; the app role got only the defaults
        owners = {row[0] for row in conn.execute("SELECT tableowner FROM pg_tables WHERE schemaname = %s",
                                                 (roles.schema,))}
        assert owners == {roles.owner}
        with pytest.raises(psycopg.Error, match="permission denied for table audit_event"):
            conn.execute("DELETE FROM audit_event")


@pytest.mark.postgres
def test_apply_as_the_app_role_is_refused(set_up: Roles, capsys: pytest.CaptureFixture[str]) -> None:
    assert _apply(set_up, capsys, as_user=set_up.app) == 2
    assert "must connect as a superuser or as the owner" in capsys.readouterr().err


@pytest.mark.postgres
def test_the_sql_refuses_an_app_role_that_could_get_round_it(set_up: Roles, capsys: pytest.CaptureFixture[str]) -> None:
    with set_up.admin.connect() as conn:
        conn.exec_driver_sql(f"GRANT {set_up.owner} TO {set_up.app}")
    assert _apply(set_up, capsys, as_user=None) == 2
    err = capsys.readouterr().err
    assert f"the app role {set_up.app} is a member of the owner role {set_up.owner}" in err
    assert "nothing was changed" in err


@pytest.mark.postgres
def test_tables_of_a_later_migration_get_select_and_insert_only(set_up: Roles) -> None:
    with set_up.connect(set_up.owner) as conn:
        conn.execute("CREATE TABLE later_table (id serial PRIMARY KEY, note text)")
    with set_up.connect(set_up.app) as conn:
        conn.execute("INSERT INTO later_table (note) VALUES ('x')")  # the sequence too
        assert conn.execute("SELECT note FROM later_table").fetchall() == [("x",)]
        for statement in ("UPDATE later_table SET note = 'y'", "DELETE FROM later_table", "TRUNCATE later_table"):
            with pytest.raises(psycopg.Error, match="permission denied for table later_table"):
                conn.execute(statement)


def test_the_printed_sql_grants_update_only_where_the_store_updates() -> None:
    sql = roles_sql(RolePlan(owner="kc_owner", app="kc_app", schema="clinic"))
    grants = [line.strip() for line in sql.splitlines() if "GRANT" in line and not line.startswith("--")]
    assert grants == [
        'GRANT USAGE ON SCHEMA "clinic" TO "kc_app";',
        'GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA "clinic" TO "kc_app";',
        "EXECUTE format('GRANT UPDATE ON %I.%I TO %I', 'clinic', t, 'kc_app');",
        'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "clinic" TO "kc_app";',
        'ALTER DEFAULT PRIVILEGES FOR ROLE "kc_owner" IN SCHEMA "clinic" GRANT SELECT, INSERT ON TABLES TO "kc_app";',
        'ALTER DEFAULT PRIVILEGES FOR ROLE "kc_owner" IN SCHEMA "clinic" GRANT USAGE, SELECT ON SEQUENCES TO "kc_app";',
    ]
    assert set(APP_UPDATES) == {"encounter", "patient", "clinician", "sign_in_throttle"}
    assert "FOREACH t IN ARRAY ARRAY['encounter', 'patient', 'clinician', 'sign_in_throttle'] LOOP" in sql  # the UPDATE grant's tables
    assert not any(word in line for line in grants for word in ("DELETE", "TRUNCATE", "TRIGGER", "GRANT ALL", "OPTION"))
    for bad in ("kc app", "x;DROP TABLE patient", "", "1abc", "a" * 64):
        with pytest.raises(RoleNameError):
            RolePlan(owner=bad, app="kc_app", schema="public")
    with pytest.raises(RoleNameError, match="two different roles"):
        RolePlan(owner="same", app="same", schema="public")


def test_db_roles_prints_the_sql_and_refuses_sqlite(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert main.main(["db", "roles", "--owner", "kc_owner", "--app", "kc_app"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("-- KneeCheck PostgreSQL roles") and 'GRANT USAGE ON SCHEMA "public"' in out
    assert main.main(["--db", f"sqlite:///{tmp_path}/k.db", "db", "roles", "--owner", "kc_owner", "--app", "kc_app",
                      "--apply"]) == 2
    assert "is for PostgreSQL" in capsys.readouterr().err
    assert not (tmp_path / "k.db").exists()


@pytest.mark.postgres
def test_the_window_warns_when_connected_as_the_owner_and_not_as_the_app(set_up: Roles, qtbot,  # type: ignore[no-untyped-def]
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    from PySide6.QtWidgets import QLabel

    from tests.ui_helpers import make_window

    caplog.set_level("WARNING", logger="kneecheck.ui")
    with Store.open(set_up.url(set_up.owner)) as store:
        window = make_window(qtbot, store)
        qtbot.waitUntil(lambda: window.findChild(QLabel, "role_warning") is not None, timeout=10_000)
        label = window.findChild(QLabel, "role_warning")
        assert "connected as the owner of its schema" in label.text() and "PostgreSQL roles" in label.text()
        assert label.accessibleName() == label.text()
        assert [r.getMessage() for r in caplog.records if r.name == "kneecheck.ui"] == [
            "connected as the schema owner: anyone with this login can rewrite audit rows (see README 'PostgreSQL roles')"]
        window.ops.wait_idle()
        window.close()
    with Store.open(set_up.url(set_up.app)) as store:
        window = make_window(qtbot, store)
        window.ops.wait_idle()
        assert window.findChild(QLabel, "role_warning") is None
        window.close()


@pytest.mark.postgres
def test_a_superuser_apply_gives_what_it_migrated_to_the_owner(roles: Roles, capsys: pytest.CaptureFixture[str]) -> None:
    """A DBA runs --apply as a superuser on the empty schema: the tables, sequences and trigger
    functions that connection created (owned by the superuser) all end up the owner's."""
    admin_user = _postgres_or_skip()
    assert _apply(roles, capsys, as_user=admin_user) == 0, capsys.readouterr().err
    with roles.connect(roles.owner) as conn:
        owners = conn.execute(
            "SELECT DISTINCT pg_get_userbyid(c.relowner) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'S')", (roles.schema,)).fetchall()
        functions = conn.execute(
            "SELECT DISTINCT pg_get_userbyid(p.proowner) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = %s", (roles.schema,)).fetchall()
        count = conn.execute("SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                             "WHERE n.nspname = %s", (roles.schema,)).fetchone()
    assert owners == [(roles.owner,)] and functions == [(roles.owner,)] and count is not None and count[0] >= 3
    with Store.open(roles.url(roles.app)) as store:  # and the app role works on it
        assert store.connected_role_risk() is None
        store.create_patient(JANE, ACTOR)
    with roles.connect(roles.app) as conn, pytest.raises(psycopg.Error, match="must be owner of table encounter"):
        conn.execute("ALTER TABLE encounter DISABLE TRIGGER USER")
