// linker graph schema: uniqueness constraints (each also gives the lookup index MERGE uses)
// and a few indexes. Community edition has no node-key / existence constraints.
// Idempotent (IF NOT EXISTS); run statement by statement (separated by ';').
CREATE CONSTRAINT account_id IF NOT EXISTS FOR (n:Account) REQUIRE n.account_id IS UNIQUE;
CREATE CONSTRAINT email_address IF NOT EXISTS FOR (n:Email) REQUIRE n.address IS UNIQUE;
CREATE CONSTRAINT email_domain_name IF NOT EXISTS FOR (n:EmailDomain) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT phone_number IF NOT EXISTS FOR (n:Phone) REQUIRE n.number IS UNIQUE;
CREATE CONSTRAINT ip_address IF NOT EXISTS FOR (n:IP) REQUIRE n.address IS UNIQUE;
CREATE CONSTRAINT subnet_cidr IF NOT EXISTS FOR (n:Subnet) REQUIRE n.cidr IS UNIQUE;
CREATE CONSTRAINT asn_number IF NOT EXISTS FOR (n:ASN) REQUIRE n.number IS UNIQUE;
CREATE CONSTRAINT device_id IF NOT EXISTS FOR (n:Device) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT card_fingerprint IF NOT EXISTS FOR (n:Card) REQUIRE n.fingerprint IS UNIQUE;
CREATE CONSTRAINT card_bin IF NOT EXISTS FOR (n:CardBin) REQUIRE n.bin IS UNIQUE;
CREATE CONSTRAINT postal_code IF NOT EXISTS FOR (n:PostalCode) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT prompt_fingerprint IF NOT EXISTS FOR (n:PromptTemplate) REQUIRE n.fingerprint IS UNIQUE;
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT org_id IF NOT EXISTS FOR (n:Org) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT capability_name IF NOT EXISTS FOR (n:Capability) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT batch_sha256 IF NOT EXISTS FOR (n:Batch) REQUIRE n.sha256 IS UNIQUE;
CREATE CONSTRAINT meta_key IF NOT EXISTS FOR (n:LinkerMeta) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT run_id IF NOT EXISTS FOR (n:Run) REQUIRE n.run_id IS UNIQUE;
CREATE CONSTRAINT ring_cluster_id IF NOT EXISTS FOR (n:Ring) REQUIRE n.cluster_id IS UNIQUE;
CREATE CONSTRAINT campaign_id IF NOT EXISTS FOR (n:Campaign) REQUIRE n.campaign_id IS UNIQUE;
CREATE CONSTRAINT operator_name IF NOT EXISTS FOR (n:Operator) REQUIRE n.name IS UNIQUE;
// Relationship property indexes: de-duplication of payment / IP-event rows, runs.
CREATE INDEX paid_with_row IF NOT EXISTS FOR ()-[r:PAID_WITH]-() ON (r.row_key);
CREATE INDEX seen_on_row IF NOT EXISTS FOR ()-[r:SEEN_ON]-() ON (r.row_key);
CREATE INDEX member_of_run IF NOT EXISTS FOR ()-[r:MEMBER_OF]-() ON (r.run);
CREATE INDEX account_created IF NOT EXISTS FOR (n:Account) ON (n.created_at);
CREATE INDEX run_started IF NOT EXISTS FOR (n:Run) ON (n.started_at)
