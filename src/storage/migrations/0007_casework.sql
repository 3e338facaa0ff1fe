-- Casework: legal procedures, counselling compartments, volunteers and requests for help. What is about a
-- person is sealed (under the person's key, or a compartment key); what stays in plaintext is what the
-- server must sort and count by: ids, sites, dates due, states.

-- Procedure templates per country (organisational knowledge, not personal): steps with their usual
-- delay in days and the documents they need, as JSON. Administrators edit them.
CREATE TABLE procedure_templates (
    id BIGINT PRIMARY KEY,
    country TEXT NOT NULL,
    name TEXT NOT NULL,
    steps TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A legal case: one procedure for one person, followed by one adviser.
CREATE TABLE cases (
    id BIGINT PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    adviser_id BIGINT REFERENCES accounts (id),
    status TEXT NOT NULL,
    record BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX cases_by_person ON cases (person_id);
CREATE INDEX cases_by_adviser ON cases (adviser_id, status);

-- Steps with due dates (plaintext, for "due this week"); their titles and notes sealed.
CREATE TABLE case_steps (
    id BIGINT PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    due_at BIGINT,
    done_at BIGINT,
    record BYTEA NOT NULL
);
CREATE INDEX case_steps_by_case ON case_steps (case_id, position);
CREATE INDEX case_steps_due ON case_steps (due_at);

-- The document checklist of a case.
CREATE TABLE case_documents (
    id BIGINT PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    received_at BIGINT,
    record BYTEA NOT NULL
);
CREATE INDEX case_documents_by_case ON case_documents (case_id, position);

-- Counselling: one compartment per person and counsellor. Its key, sealed to the counsellor's personal
-- public key (0008), opens its notes: only that counsellor can open it. Reassignment opens a new compartment
-- for the new counsellor and closes the old one: nobody reads it again.
CREATE TABLE counselling (
    id BIGINT PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    counsellor_id BIGINT NOT NULL REFERENCES accounts (id),
    compartment_key BYTEA NOT NULL,
    opened_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX counselling_by_person ON counselling (person_id);
CREATE INDEX counselling_by_counsellor ON counselling (counsellor_id, closed_at);

CREATE TABLE counselling_notes (
    id BIGINT PRIMARY KEY,
    compartment_id BIGINT NOT NULL REFERENCES counselling (id) ON DELETE CASCADE,
    written_at BIGINT NOT NULL,
    record BYTEA NOT NULL
);
CREATE INDEX counselling_notes_by_compartment ON counselling_notes (compartment_id, written_at);

-- Volunteers: skills, languages and availability, sealed by the vault (volunteer_profiles.record).
-- id is the volunteer's account id.
CREATE TABLE volunteer_profiles (
    id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    record BYTEA NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX volunteer_profiles_by_site ON volunteer_profiles (site_id);

-- Requests for help: what, in which language, by when (sealed under the person's key, with the fields of
-- the person the helper will see); assigning a volunteer grants an assignment on the request until a date.
CREATE TABLE help_requests (
    id BIGINT PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    due_at BIGINT,
    volunteer_id BIGINT REFERENCES accounts (id),
    record BYTEA NOT NULL,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX help_requests_by_site ON help_requests (site_id, status);
CREATE INDEX help_requests_by_volunteer ON help_requests (volunteer_id, status);

-- The usual routes, to start from (administrators edit them; ids are fixed so that an upgrade can find them).
INSERT INTO procedure_templates (id, country, name, steps, updated_at) VALUES
(1, 'FR', 'Asylum (OFPRA)', '[{"title":"Register at the GUDA (prefecture one-stop desk)","days":3,"documents":["Passport or identity papers","Photos"]},{"title":"Send the OFPRA application","days":21,"documents":["OFPRA form","Written account in French","Translations"]},{"title":"OFPRA interview","days":120,"documents":["Convocation","Evidence of persecution"]},{"title":"Decision or appeal to the CNDA","days":30,"documents":["OFPRA decision"]}]', 0),
(2, 'FR', 'Residence permit (titre de séjour)', '[{"title":"Book a prefecture appointment (ANEF)","days":7,"documents":["Passport","Proof of address"]},{"title":"Submit the file","days":30,"documents":["CERFA form","Photos","Proof of resources","Birth certificate with translation"]},{"title":"Receipt (récépissé)","days":14,"documents":[]},{"title":"Collect the permit","days":90,"documents":["Tax stamp"]}]', 0),
(3, 'DE', 'Asylum (BAMF)', '[{"title":"Report as an asylum seeker (Ankunftsnachweis)","days":3,"documents":["Passport or identity papers"]},{"title":"File the application at the BAMF","days":14,"documents":["Ankunftsnachweis"]},{"title":"BAMF hearing (Anhörung)","days":60,"documents":["Invitation","Evidence of persecution"]},{"title":"Decision or appeal to the administrative court","days":14,"documents":["BAMF decision"]}]', 0),
(4, 'DE', 'Residence permit (Aufenthaltserlaubnis)', '[{"title":"Register the address (Anmeldung)","days":14,"documents":["Passport","Landlord confirmation"]},{"title":"Apply at the Ausländerbehörde","days":30,"documents":["Application form","Biometric photo","Health insurance","Proof of income"]},{"title":"Fiktionsbescheinigung","days":14,"documents":[]},{"title":"Collect the electronic residence permit","days":60,"documents":["Fee"]}]', 0);
