"""Command line: serve the API, create accounts, seed data.

python -m server --host 127.0.0.1 --port 8000 [--data-dir DIR | --database-url URL] [--workers N]
python -m server create-user --role officer --phone 13900000009 --password Passw0rd --department gat
python -m server seed --articles 100000 [--data-dir DIR | --database-url URL]
python -m server reencrypt-ids [--data-dir DIR | --database-url URL]   (after putting a new ID key first)
python -m server synonyms add 退休工资 养老金 基本养老金 | remove 退休工资 [养老金] | list
"""

import argparse
import os
import sys

from api_client.validation import is_valid_phone, normalise_digits, password_problem
from server.config import WORKERS_ENV, Settings


def _database_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--data-dir", help="folder for the embedded SQLite database (default: user data dir)")
    where.add_argument("--database-url", help="e.g. postgresql://user:pass@host/yiwang (or DATABASE_URL)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m server", description="一网通办 backend")
    _database_options(parser)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL only)")
    commands = parser.add_subparsers(dest="command")

    create = commands.add_parser("create-user", help="add an account")
    _database_options(create)
    create.add_argument("--role", choices=["citizen", "officer", "admin"], default="citizen")
    create.add_argument("--phone", required=True)
    create.add_argument("--password", required=True)
    create.add_argument("--name", default="")
    create.add_argument("--department", help="department code; required for officers")

    seed = commands.add_parser("seed", help="add demo data (and generated content for benchmarks)")
    _database_options(seed)
    seed.add_argument("--articles", type=int, metavar="N", help="top the generated articles up to N (e.g. 100000)")

    importing = commands.add_parser(
        "import-articles", help="load a folder of Markdown documents (see server/articles/importing.py)"
    )
    _database_options(importing)
    importing.add_argument("path", help="folder of .md files, each with a metadata header")

    reencrypt = commands.add_parser("reencrypt-ids", help="re-seal resident ID numbers with the newest ID key")
    _database_options(reencrypt)
    synonyms = commands.add_parser("synonyms", help="words people type that also mean official terms (search)")
    _database_options(synonyms)
    synonyms.add_argument("action", choices=["add", "remove", "list"])
    synonyms.add_argument("word", nargs="?", help="the word people type, e.g. 退休工资")
    synonyms.add_argument("synonyms", nargs="*", help="official words it also means, e.g. 养老金")
    return parser


def synonyms_command(settings: Settings, args: argparse.Namespace) -> None:
    from server.db import make_engine
    from server.lifecycle import prepare
    from server.search.synonyms import SynonymError, add_synonyms, all_synonyms, remove_synonyms

    if args.action != "list" and not args.word:
        sys.exit("synonyms add/remove: which word?")
    if args.action == "add" and not args.synonyms:
        sys.exit("synonyms add: which official words does it mean?")
    prepare(settings, seed=False)
    engine = make_engine(settings.database_url)
    try:
        with engine.begin() as connection:
            if args.action == "add":
                word, added = add_synonyms(connection, args.word, args.synonyms)
                print(f"{word} → {' / '.join(added)}")
            elif args.action == "remove":
                print(f"removed {remove_synonyms(connection, args.word, args.synonyms)}")
            else:
                for word, synonyms in all_synonyms(connection).items():
                    print(f"{word} → {' / '.join(synonyms)}")
    except SynonymError as exc:
        sys.exit(f"不能作为同义词: {exc} (1-16 个汉字、数字或字母)")
    finally:
        engine.dispose()


def serve(settings: Settings, host: str, port: int, workers: int) -> None:
    import uvicorn

    from server.core.request_limits import server_options
    from server.lifecycle import prepare

    if workers > 1 and settings.dialect == "sqlite":
        sys.exit("--workers > 1 needs PostgreSQL (--database-url): SQLite allows one writer process.")
    prepare(settings)
    os.environ.update(settings.to_env())
    os.environ[WORKERS_ENV] = str(workers)
    print(f"Yiwang API on http://{host}:{port}/api/v1 ({settings.dialect}: {settings.database_url})")
    uvicorn.run("server.app:app_from_env", factory=True, host=host, port=port, workers=workers, **server_options())


def create_user_command(settings: Settings, args: argparse.Namespace) -> None:
    from server.accounts.service import create_user
    from server.core.errors import ApiError
    from server.db import make_engine, make_sessionmaker
    from server.lifecycle import prepare

    if not is_valid_phone(args.phone):
        sys.exit("手机号格式不正确 (phone_invalid)")
    if problem := password_problem(args.password):
        sys.exit(f"密码不符合要求 ({problem})")
    prepare(settings)
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as db:
        try:
            user = create_user(
                db,
                phone=normalise_digits(args.phone),
                password=args.password,
                name=args.name or args.phone,
                role=args.role,
                department_code=args.department,
            )
        except ApiError as exc:
            sys.exit(f"不能创建账号: {exc.code} {exc.field or ''}")
        db.commit()
        print(f"created {user.role} #{user.id} {user.phone}")
    engine.dispose()


def seed_articles_command(settings: Settings, target: int) -> None:
    import time

    from server.db import make_engine
    from server.seed.articles import seed_articles

    engine = make_engine(settings.database_url)
    started = time.perf_counter()
    added = seed_articles(engine, target, progress=lambda done: print(f"  {done} articles", flush=True))
    engine.dispose()
    print(f"added {added} articles in {time.perf_counter() - started:.1f} s")


def import_articles_command(settings: Settings, folder: str) -> None:
    from pathlib import Path

    from server.articles.importing import import_folder
    from server.core.clock import china_date, current_time
    from server.db import make_engine
    from server.lifecycle import prepare

    if not Path(folder).is_dir():
        sys.exit(f"not a folder: {folder}")
    prepare(settings)
    engine = make_engine(settings.database_url)
    try:
        report = import_folder(engine, Path(folder), china_date(current_time()))
    finally:
        engine.dispose()
    for problem in report.problems:
        print(problem, file=sys.stderr)
    print(report.summary())
    if report.problems:
        sys.exit(1)


def reencrypt_ids_command(settings: Settings) -> None:
    """Moves every sealed ID number to the newest key, so older keys can be deleted (README: Security)."""
    from sqlalchemy import select

    from server.accounts.models import User
    from server.core.field_crypto import FieldCipher, id_number_context
    from server.db import make_engine, make_sessionmaker
    from server.lifecycle import prepare

    prepare(settings, seed=False)
    cipher = FieldCipher.for_settings(settings)
    engine = make_engine(settings.database_url)
    moved = 0
    with make_sessionmaker(engine)() as db:
        for user in db.scalars(select(User).where(User.id_number_sealed.is_not(None))):
            assert user.id_number_sealed is not None
            if not cipher.is_current(user.id_number_sealed):
                context = id_number_context(user.id)
                user.id_number_sealed = cipher.seal(cipher.open(user.id_number_sealed, context), context)
                moved += 1
        db.commit()
    engine.dispose()
    print(f"re-sealed {moved} resident ID numbers with the newest key")


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    settings = Settings.resolve(args.data_dir, args.database_url)
    if args.command == "create-user":
        create_user_command(settings, args)
    elif args.command == "synonyms":
        synonyms_command(settings, args)
    elif args.command == "seed":
        from server.lifecycle import prepare

        prepare(settings)
        if args.articles:
            seed_articles_command(settings, args.articles)
        print("seeded")
    elif args.command == "reencrypt-ids":
        reencrypt_ids_command(settings)
    elif args.command == "import-articles":
        import_articles_command(settings, args.path)
    else:
        serve(settings, args.host, args.port, args.workers)


if __name__ == "__main__":
    main()
