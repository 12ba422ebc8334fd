"""`tasksheet review`: a local web application where a person settles what the machine could
not — corrects or confirms readings, confirms or dismisses findings, returns or accepts
sheets — into the registry, with an audit trail (`registry.reviews`).

`app.create_app` builds the application; `server.serve` runs it (loopback by default).
"""
