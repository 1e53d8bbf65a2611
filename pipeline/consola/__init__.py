"""`stl consola`: the Facilitador's console, a local web application over the records and the operations.

A session's whole life without editing YAML: before (the next session, its agenda, the convocatoria and its
business days, the roster), during (roll call, quorum, notes, votes member by member with their outcome) and after
(the interventions with the acta's pages beside them, each record problem next to its field, the approval and
the signature round). `servidor` serves it on 127.0.0.1 with a per-launch token; `rutas`, `acciones` and
`documento` are its pages and forms; `vistas` words what the rules say; every change to a record goes through
`operations.editar` (`edicion`: YAML changed as structure, comments and key order kept).
"""
