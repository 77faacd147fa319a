"""JSON families learned from their structure: `layout` parses a document keeping every byte,
`keys` merges the members' key orders, `whitespace` ties layouts, `alignment` builds the parts.
"""
