"""Drop the test databases of the mutation run, so none is reused with an old schema.

    python -m mutation.reset_db postgres://postgres@127.0.0.1:5432/minamata_portal_mutation

pytest-django names its database test_<name>; mutmut runs pytest several times in one process,
and each run prefixes the name again (test_test_<name>, ...). `--reuse-db` (in [tool.mutmut]) keeps
them between mutants, which is what makes a run fast; this drops them all before a run."""

import re
import sys
from urllib.parse import urlsplit

import psycopg2
from psycopg2 import sql


def main(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    conn = psycopg2.connect(maintenance)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database")
            for (db,) in cursor.fetchall():
                if re.fullmatch(rf"(test_)+{re.escape(name)}", db):
                    cursor.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(db)))
                    print(f"dropped {db}")
    finally:
        conn.close()


if __name__ == "__main__":
    main(sys.argv[1])
