-- Queued verification requests carry the ID number, DG13 and the chip portrait: from now on their
-- body is sealed with the store key (SQL function seal(), request id as additional data). Rows
-- queued by an earlier version are sealed in place here.
UPDATE rar_verifications SET request_body = seal(request_body, request_id)
WHERE request_body IS NOT NULL AND typeof(request_body) = 'text';
