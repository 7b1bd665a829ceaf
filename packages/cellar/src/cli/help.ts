/** The help texts: the program's, then one per command. */
export const PROGRAM_HELP = `cellar: the storage of Workers data products (KV, R2, D1, Cache, Durable Objects) in a
persist root laid out like wrangler dev's .wrangler/state/v3.

Usage: cellar [global options] <command> <subcommand> [options]

Commands:
  kv get|put|delete|list    read and write a KV namespace
  r2 get|put|delete|list    read and write an R2 bucket (files stream in and out)
  d1 execute|export|import  run SQL on a D1 database, export it, import SQL
  do list|get|delete-all    list Durable Objects, read an object's storage, delete them all
  gc                        sweep orphan blobs and purge expired entries
  serve                     serve the root over HTTP: S3 for R2, Cloudflare's API for KV and D1

Global options:
  --root <dir>       the persist root (default ./.cellar; wrangler dev's is .wrangler/state/v3)
  --engine <name>    native (better-sqlite3, default) or wasm (sql.js)
  --json             machine-readable output on stdout (and errors as JSON on stderr)
  -h, --help         this help; "cellar <command> --help" for a command's

Exit codes: 0 ok, 1 the operation failed (including "not found"), 2 usage error.

Examples:
  cellar serve --port 8787
  cellar --root .wrangler/state/v3 kv list --namespace <namespace-id>
  cellar r2 put --bucket photos cat.jpg --file ./cat.jpg
  cellar d1 execute --database DB --command "SELECT * FROM users"
`;

export const COMMAND_HELP: Record<string, string> = {
  kv: `Usage:
  cellar kv get    --namespace <id> <key>                 print the value (raw bytes; --json: { key, value, metadata })
  cellar kv put    --namespace <id> <key> <value>          store a value given on the command line
  cellar kv put    --namespace <id> <key> --file <path>    store a file's content (streamed)
  cellar kv delete --namespace <id> <key>
  cellar kv list   --namespace <id> [--prefix <p>] [--limit <n>]

Options:
  --namespace <id>     the KV namespace id (the file is named by it, not by the binding name)
  --file <path>        put: read the value from this file ("-": standard input)
  --ttl <seconds>      put: expire the value after this many seconds (at least 60)
  --expiration <s>     put: expire the value at this time (seconds since the epoch)
  --metadata <json>    put: metadata stored with the value (JSON, at most 1024 bytes)
  --prefix <p>         list: only keys starting with p
  --limit <n>          list: at most n keys (default: all)

Examples:
  cellar kv put --namespace my-kv greeting "hello"
  cellar kv get --namespace my-kv greeting
  cellar --json kv list --namespace my-kv --prefix user:
`,
  r2: `Usage:
  cellar r2 get    --bucket <name> <key> [--file <path>]   body to the file, or to stdout
  cellar r2 put    --bucket <name> <key> --file <path>     upload a file (streamed)
  cellar r2 put    --bucket <name> <key> <value>           upload a string
  cellar r2 delete --bucket <name> <key>
  cellar r2 list   --bucket <name> [--prefix <p>] [--delimiter <d>] [--limit <n>]

Options:
  --bucket <name>        the bucket name
  --file <path>          get: write the body here; put: read the body from here
                         ("-": stdout for get, standard input for put)
  --content-type <type>  put: the object's Content-Type
  --prefix <p>, --limit <n>  list: filter by prefix, stop after n entries
  --delimiter <d>        list: group keys by what follows the prefix up to d ("directories",
                         listed first; --json prints { objects, delimitedPrefixes })

Files stream in and out with flat memory; for files of 8 MiB and more, progress is shown on
stderr when it is a terminal. Standard input ("--file -") is spooled to a temporary file first,
as R2 needs a body's length. With --json, get needs --file (stdout is for the body otherwise)
and prints { key, size, etag, file }.

Examples:
  cellar r2 put --bucket assets logo.svg --file ./logo.svg --content-type image/svg+xml
  cellar r2 get --bucket assets logo.svg --file /tmp/logo.svg
`,
  d1: `Usage:
  cellar d1 execute --database <id> --command "<sql>"     run statements (one transaction), print results
  cellar d1 execute --database <id> --file <x.sql>        run a SQL file (streamed, one transaction)
  cellar d1 export  --database <id> [--output <x.sql>] [--no-schema] [--no-data] [--table <t>]...
  cellar d1 import  --database <id> --file <x.sql>

Options:
  --database <id>    the database id (wrangler uses preview_database_id ?? database_id ?? binding)
  --command <sql>    execute: the SQL text; statements separated by ";"
  --file <path>      execute/import: the SQL file ("-": standard input); progress is shown on
                     stderr for files of 8 MiB and more when it is a terminal
  --output <path>    export: the file to write (default stdout); the format of wrangler d1 export
  --no-schema, --no-data, --table <t>   export: as wrangler d1 export

Examples:
  cellar d1 execute --database DB --command "CREATE TABLE t (a); INSERT INTO t VALUES (1)"
  cellar d1 export --database DB --output backup.sql
`,
  do: `Usage:
  cellar do list --unique-key <key>                     the ids of the objects stored in the namespace
  cellar do get  --unique-key <key> --name <name> [key] one value, or every key and value
  cellar do delete-all [--unique-key <key>]           delete every object of the namespace (or of
                                                      every namespace under the root), with their
                                                      facets and alarms

Options:
  --unique-key <key>   the namespace's unique key: "<worker name>-<class name>" ("-Counter" for
                       class Counter in an unnamed worker)
  --name <name>        the object's name, as passed to idFromName

delete-all writes a tombstone before deleting files, so an interrupted run is completed by the
next open and the deleted data never comes back. Stop wrangler dev first: the objects' files
must not be open elsewhere.

Values are shown with Node's inspect, or as JSON with --json (Maps, Sets, dates, bigints and
byte arrays converted).

Examples:
  cellar --root .wrangler/state/v3 do list --unique-key -Counter
  cellar do get --unique-key -Counter --name home visits
  cellar do delete-all --unique-key -Counter
`,
  gc: `Usage:
  cellar gc [--grace-ms <ms>]

Sweeps every KV, R2 and Cache namespace under the root, including namespaces no program has
opened: purges expired entries (R2: abandoned multipart uploads), then deletes blob files no
entry references that are older than the grace period (default 3600000, one hour), and partial
writes left by a crash. Namespace databases are found by their files; a name is recovered from
its blob directory (or the name cellar recorded there), so a namespace whose name sanitisePath
changed, written by another tool, is reported as skipped.

Options:
  --grace-ms <ms>    never delete blobs younger than this (covers writes in flight elsewhere)
`,
  serve: `Usage:
  cellar serve [--port <n>] [--host <address>] [--s3-access-key-id <id> --s3-secret-access-key <secret>]

Serves the persist root over HTTP until Ctrl+C (SIGINT) or SIGTERM:
  /                       an S3-compatible API for the R2 buckets (path-style; also at
                          /cdn-cgi/local/r2/s3, where newer wrangler dev serves it)
  /client/v4/accounts/<any>/storage/kv/namespaces/...   KV, in the shape of Cloudflare's API
  /client/v4/accounts/<any>/d1/database/...             D1 query and raw, likewise
  /_cellar/health         200 with the root and engine once the server is up

Options:
  --port <n>               port to listen on (default 8787; 0 picks a free one, printed at start)
  --host <address>         interface to listen on (default 127.0.0.1). There is no authentication
                           except the optional S3 signature check: keep it on loopback.
  --s3-access-key-id <id>, --s3-secret-access-key <secret>
                           require S3 requests signed (SigV4) with these credentials; also read
                           from CELLAR_S3_ACCESS_KEY_ID and CELLAR_S3_SECRET_ACCESS_KEY. Without
                           them any credentials are accepted.

With --json, the endpoints are printed as one JSON document at start.

Examples:
  cellar serve
  curl -X PUT --data-binary @cat.jpg http://127.0.0.1:8787/photos/cat.jpg
  aws --endpoint-url http://127.0.0.1:8787 s3 ls s3://photos
`,
};
