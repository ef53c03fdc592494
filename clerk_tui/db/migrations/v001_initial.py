"""Version 1: the catalog, tickets, cases and station bookkeeping.

Frozen DDL: this text must never change once released; later schema changes are new
migration modules. `tests/test_storage.py` checks that the migrated schema matches the
SQLModel tables.
"""

from sqlalchemy import Connection

DESCRIPTION = "catalog, tickets, cases, ratings, audit trail"

STATEMENTS = r"""
CREATE TABLE audit_entry (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    entity VARCHAR(32) NOT NULL,
    entity_id VARCHAR(36) NOT NULL,
    action VARCHAR(16) NOT NULL,
    field VARCHAR NOT NULL,
    old_value VARCHAR NOT NULL,
    new_value VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    clerk_no VARCHAR(32) NOT NULL,
    station_id VARCHAR(64) NOT NULL,
    at DATETIME NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX ix_audit_entry_change_seq ON audit_entry (change_seq);
CREATE INDEX ix_audit_entry_entity_id ON audit_entry (entity_id);
CREATE TABLE catalog_version (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    label VARCHAR(64) NOT NULL,
    format_version INTEGER NOT NULL,
    content_sha256 VARCHAR(64) NOT NULL,
    source_name VARCHAR NOT NULL,
    imported_at DATETIME NOT NULL,
    matter_count INTEGER NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (content_sha256)
);
CREATE INDEX ix_catalog_version_change_seq ON catalog_version (change_seq);
CREATE TABLE counter (
    name VARCHAR(64) NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (name)
);
CREATE TABLE department (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    code VARCHAR(32) NOT NULL,
    name VARCHAR NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (code)
);
CREATE INDEX ix_department_change_seq ON department (change_seq);
CREATE TABLE meta (
    "key" VARCHAR(64) NOT NULL,
    value VARCHAR NOT NULL,
    PRIMARY KEY ("key")
);
CREATE TABLE ticket (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    station_id VARCHAR(64) NOT NULL,
    service_date DATE NOT NULL,
    queue VARCHAR(8) NOT NULL,
    letter VARCHAR(8) NOT NULL,
    serial INTEGER NOT NULL,
    number VARCHAR(16) NOT NULL,
    priority VARCHAR(16) NOT NULL,
    appointment_at DATETIME,
    status VARCHAR(16) NOT NULL,
    issued_at DATETIME NOT NULL,
    issued_via VARCHAR(16) NOT NULL,
    sort_at DATETIME NOT NULL,
    first_called_at DATETIME,
    last_called_at DATETIME,
    call_count INTEGER NOT NULL,
    window_no INTEGER,
    clerk_no VARCHAR(32),
    service_started_at DATETIME,
    finished_at DATETIME,
    transferred_from_id VARCHAR,
    target_window INTEGER,
    note VARCHAR NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(transferred_from_id) REFERENCES ticket (id)
);
CREATE INDEX ix_ticket_change_seq ON ticket (change_seq);
CREATE INDEX ix_ticket_day_status_queue ON ticket (service_date, status, queue);
CREATE UNIQUE INDEX ux_ticket_number_per_day ON ticket (service_date, letter, serial) WHERE transferred_from_id IS NULL;
CREATE TABLE window_event (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    station_id VARCHAR(64) NOT NULL,
    window_no INTEGER NOT NULL,
    clerk_no VARCHAR(32),
    kind VARCHAR(16) NOT NULL,
    reason VARCHAR NOT NULL,
    at DATETIME NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX ix_window_event_at ON window_event (at);
CREATE INDEX ix_window_event_change_seq ON window_event (change_seq);
CREATE TABLE matter (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    code VARCHAR(120) NOT NULL,
    basic_code VARCHAR(32) NOT NULL,
    name VARCHAR NOT NULL,
    name_pinyin VARCHAR NOT NULL,
    name_initials VARCHAR NOT NULL,
    task_type VARCHAR(2) NOT NULL,
    department_id VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    service_objects VARCHAR NOT NULL,
    project_type INTEGER NOT NULL,
    statutory_limit INTEGER,
    statutory_unit VARCHAR NOT NULL,
    promised_limit INTEGER,
    promised_unit VARCHAR NOT NULL,
    visits INTEGER,
    fee_charged BOOLEAN NOT NULL,
    fee_note VARCHAR NOT NULL,
    online BOOLEAN NOT NULL,
    appointment BOOLEAN NOT NULL,
    scope VARCHAR NOT NULL,
    legal_basis VARCHAR NOT NULL,
    contact VARCHAR NOT NULL,
    note VARCHAR NOT NULL,
    active BOOLEAN NOT NULL,
    catalog_version_id VARCHAR NOT NULL,
    content_sha256 VARCHAR(64) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (code),
    FOREIGN KEY(department_id) REFERENCES department (id),
    FOREIGN KEY(catalog_version_id) REFERENCES catalog_version (id)
);
CREATE INDEX ix_matter_basic_code ON matter (basic_code);
CREATE INDEX ix_matter_catalog_version_id ON matter (catalog_version_id);
CREATE INDEX ix_matter_change_seq ON matter (change_seq);
CREATE INDEX ix_matter_department_id ON matter (department_id);
CREATE TABLE ticket_event (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    ticket_id VARCHAR NOT NULL,
    kind VARCHAR(24) NOT NULL,
    at DATETIME NOT NULL,
    station_id VARCHAR(64) NOT NULL,
    window_no INTEGER,
    clerk_no VARCHAR(32),
    detail VARCHAR NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(ticket_id) REFERENCES ticket (id)
);
CREATE INDEX ix_ticket_event_change_seq ON ticket_event (change_seq);
CREATE INDEX ix_ticket_event_ticket_id ON ticket_event (ticket_id);
CREATE TABLE document_check (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    station_id VARCHAR(64) NOT NULL,
    ticket_id VARCHAR,
    matter_id VARCHAR NOT NULL,
    matter_code VARCHAR(120) NOT NULL,
    matter_name VARCHAR NOT NULL,
    catalog_version_id VARCHAR NOT NULL,
    answers VARCHAR NOT NULL,
    verdict VARCHAR(16) NOT NULL,
    supply_deadline DATE,
    clerk_no VARCHAR(32),
    window_no INTEGER,
    checked_at DATETIME NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(ticket_id) REFERENCES ticket (id),
    FOREIGN KEY(matter_id) REFERENCES matter (id),
    FOREIGN KEY(catalog_version_id) REFERENCES catalog_version (id)
);
CREATE INDEX ix_document_check_change_seq ON document_check (change_seq);
CREATE INDEX ix_document_check_ticket_id ON document_check (ticket_id);
CREATE TABLE material (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    matter_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    material_type INTEGER NOT NULL,
    form VARCHAR NOT NULL,
    copies INTEGER NOT NULL,
    necessity INTEGER NOT NULL,
    source VARCHAR NOT NULL,
    condition VARCHAR NOT NULL,
    e_licence BOOLEAN NOT NULL,
    note VARCHAR NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(matter_id) REFERENCES matter (id)
);
CREATE INDEX ix_material_change_seq ON material (change_seq);
CREATE INDEX ix_material_matter_id ON material (matter_id);
CREATE TABLE check_item (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    check_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    material_type INTEGER NOT NULL,
    form VARCHAR NOT NULL,
    copies INTEGER NOT NULL,
    necessity INTEGER NOT NULL,
    source VARCHAR NOT NULL,
    condition VARCHAR NOT NULL,
    e_licence BOOLEAN NOT NULL,
    mark VARCHAR(16) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(check_id) REFERENCES document_check (id)
);
CREATE INDEX ix_check_item_change_seq ON check_item (change_seq);
CREATE INDEX ix_check_item_check_id ON check_item (check_id);
CREATE TABLE notice (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    check_id VARCHAR NOT NULL,
    kind VARCHAR(16) NOT NULL,
    number VARCHAR(40) NOT NULL,
    text VARCHAR NOT NULL,
    file_path VARCHAR NOT NULL,
    print_count INTEGER NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(check_id) REFERENCES document_check (id)
);
CREATE INDEX ix_notice_change_seq ON notice (change_seq);
CREATE INDEX ix_notice_check_id ON notice (check_id);
CREATE TABLE service_case (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    station_id VARCHAR(64) NOT NULL,
    ticket_id VARCHAR,
    matter_id VARCHAR NOT NULL,
    catalog_version_id VARCHAR NOT NULL,
    check_id VARCHAR,
    matter_code VARCHAR(120) NOT NULL,
    matter_name VARCHAR NOT NULL,
    applicant_kind VARCHAR(16) NOT NULL,
    applicant_name VARCHAR NOT NULL,
    id_type VARCHAR(16) NOT NULL,
    id_number VARCHAR(64) NOT NULL,
    phone VARCHAR(32) NOT NULL,
    agent_name VARCHAR NOT NULL,
    agent_id_type VARCHAR(16) NOT NULL,
    agent_id_number VARCHAR(64) NOT NULL,
    agent_phone VARCHAR(32) NOT NULL,
    outcome VARCHAR(16) NOT NULL,
    status VARCHAR(16) NOT NULL,
    promised_deadline DATE,
    supply_deadline DATE,
    refusal_reason VARCHAR NOT NULL,
    assistance VARCHAR(16) NOT NULL,
    notes VARCHAR NOT NULL,
    clerk_no VARCHAR(32) NOT NULL,
    window_no INTEGER,
    received_at DATETIME NOT NULL,
    accepted_at DATETIME,
    decided_at DATETIME,
    completed_at DATETIME,
    void_reason VARCHAR NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(ticket_id) REFERENCES ticket (id),
    FOREIGN KEY(matter_id) REFERENCES matter (id),
    FOREIGN KEY(catalog_version_id) REFERENCES catalog_version (id),
    FOREIGN KEY(check_id) REFERENCES document_check (id)
);
CREATE INDEX ix_service_case_change_seq ON service_case (change_seq);
CREATE INDEX ix_service_case_matter_id ON service_case (matter_id);
CREATE INDEX ix_service_case_promised_deadline ON service_case (promised_deadline);
CREATE INDEX ix_service_case_received_at ON service_case (received_at);
CREATE INDEX ix_service_case_ticket_id ON service_case (ticket_id);
CREATE TABLE rating (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    case_id VARCHAR NOT NULL,
    level INTEGER,
    points VARCHAR NOT NULL,
    comment VARCHAR NOT NULL,
    channel VARCHAR(4) NOT NULL,
    rated_at DATETIME NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(case_id) REFERENCES service_case (id)
);
CREATE INDEX ix_rating_case_id ON rating (case_id);
CREATE INDEX ix_rating_change_seq ON rating (change_seq);
CREATE TABLE follow_up (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    case_id VARCHAR NOT NULL,
    rating_id VARCHAR NOT NULL,
    due_date DATE NOT NULL,
    status VARCHAR(16) NOT NULL,
    contacted_at DATETIME,
    contact_note VARCHAR NOT NULL,
    fix_note VARCHAR NOT NULL,
    closed_at DATETIME,
    clerk_no VARCHAR(32),
    PRIMARY KEY (id),
    FOREIGN KEY(case_id) REFERENCES service_case (id),
    FOREIGN KEY(rating_id) REFERENCES rating (id)
);
CREATE INDEX ix_follow_up_case_id ON follow_up (case_id);
CREATE INDEX ix_follow_up_change_seq ON follow_up (change_seq);
"""


def upgrade(conn: Connection) -> None:
    for statement in STATEMENTS.split(";"):
        if statement.strip():
            conn.exec_driver_sql(statement)
