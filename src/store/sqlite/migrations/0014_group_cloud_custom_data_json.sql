-- A group message's CloudCustomData as JSON text, as PostgreSQL has always kept it and as
-- c2c_messages keeps its own (src/store/rows/group-rows.ts): a TEXT value turned a lone UTF-16
-- surrogate into U+FFFD, and the two engines stored different bytes for the same message.
-- json_quote of a column value (no JSON subtype) always makes a JSON string of it.
UPDATE group_messages SET cloud_custom_data = json_quote(cloud_custom_data)
  WHERE cloud_custom_data IS NOT NULL;
