-- custos fixture: a macOS Messages chat.db as SQL (tests/importers/chat_db_fixture.cc loads it
-- into a real SQLite file with the sqlite3 C API). The tables are the real chat.db schema, with
-- only the columns the importer reads or that carry a pitfall of docs/formats/imessage.md; blobs are X'..'
-- hex literals (attributedBody: NSArchiver "streamtyped" NSAttributedString).
-- Times: message.date counts from 2001-01-01 UTC, in seconds before High Sierra, nanoseconds after.
CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL,
  country TEXT, service TEXT NOT NULL, uncanonicalized_id TEXT, person_centric_id TEXT,
  UNIQUE (id, service));
CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL,
  style INTEGER, state INTEGER, account_id TEXT, properties BLOB, chat_identifier TEXT,
  service_name TEXT, room_name TEXT, account_login TEXT, is_archived INTEGER DEFAULT 0,
  last_addressed_handle TEXT, display_name TEXT, group_id TEXT);
CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL,
  text TEXT, replace INTEGER DEFAULT 0, service_center TEXT, handle_id INTEGER DEFAULT 0,
  subject TEXT, country TEXT, attributedBody BLOB, version INTEGER DEFAULT 0,
  type INTEGER DEFAULT 0, service TEXT, account TEXT, account_guid TEXT, error INTEGER DEFAULT 0,
  date INTEGER, date_read INTEGER, date_delivered INTEGER, is_delivered INTEGER DEFAULT 0,
  is_finished INTEGER DEFAULT 0, is_from_me INTEGER DEFAULT 0, cache_roomnames TEXT,
  associated_message_guid TEXT DEFAULT NULL, associated_message_type INTEGER DEFAULT 0,
  thread_originator_guid TEXT, date_edited INTEGER DEFAULT 0, message_summary_info BLOB,
  date_retracted INTEGER DEFAULT 0);
CREATE TABLE chat_message_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE,
  message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, message_date INTEGER DEFAULT 0,
  PRIMARY KEY (chat_id, message_id));
CREATE TABLE chat_handle_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE,
  handle_id INTEGER REFERENCES handle (ROWID) ON DELETE CASCADE, UNIQUE(chat_id, handle_id));
CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL,
  created_date INTEGER DEFAULT 0, start_date INTEGER DEFAULT 0, filename TEXT, uti TEXT,
  mime_type TEXT, transfer_state INTEGER DEFAULT 0, is_outgoing INTEGER DEFAULT 0,
  user_info BLOB, transfer_name TEXT, total_bytes INTEGER DEFAULT 0);
CREATE TABLE message_attachment_join (message_id INTEGER REFERENCES message (ROWID)
  ON DELETE CASCADE, attachment_id INTEGER REFERENCES attachment (ROWID) ON DELETE CASCADE,
  UNIQUE(message_id, attachment_id));
-- The indexes macOS creates on the join tables (without them every join is a scan).
CREATE INDEX chat_message_join_idx_message_id_only ON chat_message_join (message_id);
CREATE INDEX chat_message_join_idx_chat_id ON chat_message_join (chat_id);
CREATE INDEX chat_handle_join_idx_handle_id ON chat_handle_join (handle_id);
CREATE INDEX message_attachment_join_idx_message_id ON message_attachment_join (message_id);
CREATE INDEX message_idx_handle ON message (handle_id, date);
INSERT INTO handle VALUES (1, '+1 (555) 010-0199', 'us', 'iMessage', NULL, NULL);
INSERT INTO handle VALUES (2, 'Bob@Example.com', 'us', 'iMessage', NULL, NULL);
INSERT INTO handle VALUES (3, '07700 900123', 'gb', 'SMS', NULL, NULL);
INSERT INTO handle VALUES (4, '00 44 7700 900555', 'gb', 'SMS', NULL, NULL);
INSERT INTO chat (ROWID, guid, style, chat_identifier, service_name)
  VALUES (1, 'iMessage;-;+15550100199', 45, '+15550100199', 'iMessage');
INSERT INTO chat (ROWID, guid, style, chat_identifier, service_name, display_name)
  VALUES (2, 'iMessage;+;chat123456', 43, 'chat123456', 'iMessage', 'Desk');
INSERT INTO chat (ROWID, guid, style, chat_identifier, service_name)
  VALUES (3, 'SMS;-;+447700900123', 45, '+447700900123', 'SMS');
INSERT INTO chat (ROWID, guid, style, chat_identifier, service_name)
  VALUES (4, 'SMS;-;+447700900555', 45, '+447700900555', 'SMS');
INSERT INTO chat_handle_join VALUES (1, 1), (2, 1), (2, 2), (3, 3), (4, 4);

INSERT INTO message (ROWID, guid, text, attributedBody, handle_id, date, is_from_me, service,
  associated_message_guid, associated_message_type, message_summary_info, date_edited) VALUES
  -- Seconds since 2001-01-01 (before High Sierra).
  (1, 'G-1', 'Hello from the old Mac', NULL, 1, 600000000, 0, 'iMessage', NULL, 0, NULL, 0),
  -- Nanoseconds (High Sierra and later); text NULL, the body only in attributedBody.
  (2, 'G-2', NULL, X'040B73747265616D747970656481E803840140848484124E5341747472696275746564537472696E67008484084E534F626A656374008592848484084E53537472696E67019484012B1C56656E74757261206B656570732074657874206865726520F09F988086840269490105928484840C4E5344696374696F6E6172790094', 1, 700000000123456789, 1, 'iMessage', NULL, 0, NULL, 0),
  -- A tapback (2001 liked) on part 0 of G-1, and a removal (3000 -loved).
  (3, 'G-3', 'Liked “Hello from the old Mac”', NULL, 1, 700000001000000000, 1, 'iMessage', 'p:0/G-1', 2001, NULL, 0),
  (4, 'G-4', NULL, NULL, 1, 700000002000000000, 0, 'iMessage', 'p:0/G-1', 3000, NULL, 0),
  -- A group chat: is_from_me with handle_id 0; two attachments, one on disk, one missing.
  (5, 'G-5', 'Group hello', NULL, 0, 700000003000000000, 1, 'iMessage', NULL, 0, NULL, 0),
  (6, 'G-6', 'Reply in group', NULL, 2, 700000004000000000, 0, 'iMessage', NULL, 0, NULL, 0),
  -- No text, an unreadable attributedBody, no attachment: skipped as empty.
  (7, 'G-7', NULL, X'040B73747265616D747970656420627574206E6F7468696E672075736566756C', 2, 700000005000000000, 0, 'iMessage', NULL, 0, NULL, 0),
  -- A relayed SMS with a national-format handle; attributedBody with a two-byte length.
  (8, 'G-8', NULL, X'040B73747265616D747970656481E803840140848484124E5341747472696275746564537472696E67008484084E534F626A656374008592848484084E53537472696E67019484012B81C800787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787886840269490105928484840C4E5344696374696F6E6172790094', 3, 700000006000000000, 0, 'SMS', NULL, 0, NULL, 0),
  -- Every tapback 2000-2006 on G-6 from handle 1 in the group (p:N/GUID and bp:GUID forms), then every removal 3000-3006.
  (9, 'G-9', 'Loved “Reply in group”', NULL, 1, 700000019000000000, 0, 'iMessage', 'p:0/G-6', 2000, NULL, 0),
  (10, 'G-10', 'Liked “Reply in group”', NULL, 1, 700000020000000000, 0, 'iMessage', 'bp:G-6', 2001, NULL, 0),
  (11, 'G-11', 'Disliked “Reply in group”', NULL, 1, 700000021000000000, 0, 'iMessage', 'p:0/G-6', 2002, NULL, 0),
  (12, 'G-12', 'Laughed “Reply in group”', NULL, 1, 700000022000000000, 0, 'iMessage', 'bp:G-6', 2003, NULL, 0),
  (13, 'G-13', 'Emphasized “Reply in group”', NULL, 1, 700000023000000000, 0, 'iMessage', 'p:0/G-6', 2004, NULL, 0),
  (14, 'G-14', 'Questioned “Reply in group”', NULL, 1, 700000024000000000, 0, 'iMessage', 'bp:G-6', 2005, NULL, 0),
  (15, 'G-15', 'Emoji “Reply in group”', NULL, 1, 700000025000000000, 0, 'iMessage', 'p:0/G-6', 2006, NULL, 0),
  (16, 'G-16', 'Removed loved from “Reply in group”', NULL, 1, 700000026000000000, 0, 'iMessage', 'p:0/G-6', 3000, NULL, 0),
  (17, 'G-17', 'Removed liked from “Reply in group”', NULL, 1, 700000027000000000, 0, 'iMessage', 'bp:G-6', 3001, NULL, 0),
  (18, 'G-18', 'Removed disliked from “Reply in group”', NULL, 1, 700000028000000000, 0, 'iMessage', 'p:0/G-6', 3002, NULL, 0),
  (19, 'G-19', 'Removed laughed from “Reply in group”', NULL, 1, 700000029000000000, 0, 'iMessage', 'bp:G-6', 3003, NULL, 0),
  (20, 'G-20', 'Removed emphasized from “Reply in group”', NULL, 1, 700000030000000000, 0, 'iMessage', 'p:0/G-6', 3004, NULL, 0),
  (21, 'G-21', 'Removed questioned from “Reply in group”', NULL, 1, 700000031000000000, 0, 'iMessage', 'bp:G-6', 3005, NULL, 0),
  (22, 'G-22', 'Removed emoji from “Reply in group”', NULL, 1, 700000032000000000, 0, 'iMessage', 'p:0/G-6', 3006, NULL, 0),
  -- A handle written with the international 00 prefix and spaces.
  (23, 'G-23', 'International 00 prefix', NULL, 4, 700000100000000000, 0, 'SMS', NULL, 0, NULL, 0),
  -- Edited twice (Ventura): text NULL, the latest version in attributedBody, every version in message_summary_info (binary plist, ec).
  (24, 'G-24', NULL, X'040B73747265616D747970656481E803840140848484124E5341747472696275746564537472696E67008484084E534F626A656374008592848484084E53537472696E67019484012B0B4D6565742061742033706D86840269490105928484840C4E5344696374696F6E6172790094', 1, 700000200000000000, 1, 'iMessage', NULL, 0, X'62706C6973743030D201020311526563536F7472D104055130A3060B0ED20708090A516451741309B6E6791FB3D0004F106F040B73747265616D747970656481E803840140848484124E5341747472696275746564537472696E67008484084E534F626A656374008592848484084E53537472696E67019484012B0B4D6565742061742032706D86840269490105928484840C4E5344696374696F6E6172790094D207080C0D1309B6E6801BD77C004F1072040B73747265616D747970656481E803840140848484124E5341747472696275746564537472696E67008484084E534F626A656374008592848484084E53537472696E67019484012B0E4D65657420617420323A3330706D86840269490105928484840C4E5344696374696F6E6172790094D207080F101309B6E68717FB28004F106F040B73747265616D747970656481E803840140848484124E5341747472696275746564537472696E67008484084E534F626A656374008592848484084E53537472696E67019484012B0B4D6565742061742033706D86840269490105928484840C4E5344696374696F6E6172790094D10412D213141516526C65526C6F100B10000008000D0010001400170019001D002200240026002F00A100A600AF01240129013201A401A701AC01AF01B201B400000000000002010000000000000017000000000000000000000000000001B6', 700000260000000000),
  -- Unsent: no text left, message_summary_info lists part 0 under rp.
  (25, 'G-25', NULL, NULL, 1, 700000300000000000, 0, 'iMessage', NULL, 0, X'62706C6973743030D301020304050C526563536F7472527270D0D106075130D208090A0B526C65526C6F10091000A10B080F1216191A1D1F24272A2C2E0000000000000101000000000000000D00000000000000000000000000000030', 700000310000000000);
-- An inline reply (iOS 14 and later): G-6 answers G-5 in a thread.
UPDATE message SET thread_originator_guid = 'G-5' WHERE ROWID = 6;
INSERT INTO chat_message_join (chat_id, message_id, message_date) VALUES
  (1, 1, 600000000), (1, 2, 700000000123456789), (1, 3, 700000001000000000), (1, 4, 700000002000000000),
  (2, 5, 700000003000000000), (2, 6, 700000004000000000), (2, 7, 700000005000000000), (3, 8, 700000006000000000),
  (2, 9, 700000019000000000), (2, 10, 700000020000000000), (2, 11, 700000021000000000), (2, 12, 700000022000000000),
  (2, 13, 700000023000000000), (2, 14, 700000024000000000), (2, 15, 700000025000000000), (2, 16, 700000026000000000),
  (2, 17, 700000027000000000), (2, 18, 700000028000000000), (2, 19, 700000029000000000), (2, 20, 700000030000000000),
  (2, 21, 700000031000000000), (2, 22, 700000032000000000), (4, 23, 700000100000000000), (1, 24, 700000200000000000),
  (1, 25, 700000300000000000);

-- Attachments: A-1 is on disk (Attachments/ab/01/IMG_0001.jpeg next to chat.db), A-2 is not.
INSERT INTO attachment (ROWID, guid, filename, mime_type, transfer_name, total_bytes) VALUES
  (1, 'A-1', '~/Library/Messages/Attachments/ab/01/IMG_0001.jpeg', 'image/jpeg', 'IMG_0001.jpeg', 4),
  (2, 'A-2', '~/Library/Messages/Attachments/cd/02/gone.pdf', NULL, 'gone.pdf', 1234);
INSERT INTO message_attachment_join VALUES (5, 1), (5, 2);
