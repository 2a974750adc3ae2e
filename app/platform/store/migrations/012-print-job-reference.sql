-- A print job's reference (a ticket's queue number; never personal data), so the maintenance
-- screen can say which ticket "print again" prints.
ALTER TABLE print_jobs ADD COLUMN reference TEXT;
