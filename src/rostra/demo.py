"""The demo site for ``rostra serve --demo``: three articles and a development login.

The article texts were written for this demo in the style of a regional news report (English,
Sorani Kurdish, Arabic); they are not copied from any publisher.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from rostra.config import Settings
from rostra.services import accounts
from rostra.store import queries
from rostra.store.models import Article

log = logging.getLogger(__name__)

DEMO_USERNAME = "demo-moderator"
CREDENTIALS_FILE = "demo-credentials.json"


@dataclass(frozen=True, slots=True)
class DemoArticle:
    id: str
    url: str
    title: str
    language: str
    body: str


ARTICLES: tuple[DemoArticle, ...] = (
    DemoArticle(
        id="erbil-anbar-drone-attacks",
        url="https://demo.rostra.invalid/en/erbil-anbar-drone-attacks",
        title="Drones target bases hosting coalition troops in Erbil and Anbar",
        language="en",
        body=(
            "ERBIL, Kurdistan Region — Armed drones were launched overnight at two military "
            "sites that host troops of the US-led coalition against the Islamic State group: "
            "the base at Erbil international airport and the Ain al-Asad air base in Anbar "
            "province, in western Iraq. Security officials in the Kurdistan Region said air "
            "defences shot down the drones approaching Erbil before they reached the airport "
            "perimeter, and that no casualties or damage were reported there.\n\n"
            "At Ain al-Asad, a base used by Iraqi forces and coalition advisers, officials said "
            "one drone was intercepted and a second fell in open ground outside the base. An "
            "assessment of any damage was under way on Tuesday morning. Flights at Erbil "
            "airport were briefly suspended as a precaution and resumed a few hours later.\n\n"
            "No group immediately claimed the attacks. Similar strikes in recent months have "
            "been claimed by an umbrella of Iran-aligned armed factions calling itself the "
            "Islamic Resistance in Iraq, which says it targets US forces over the war in Gaza. "
            "Dozens of rocket and drone attacks on bases in Iraq and Syria have been recorded "
            "since October 2023, most of them causing little damage.\n\n"
            "The Kurdistan Regional Government condemned the attack on Erbil, calling it a "
            "threat to the region's security and its economy, and urged the federal government "
            "in Baghdad to hold those responsible to account. The Iraqi government has "
            "repeatedly said it rejects attacks on diplomatic missions and on bases where "
            "coalition personnel are present at its invitation, and it is negotiating with "
            "Washington a timetable for the coalition mission to wind down.\n\n"
            "Residents near the airport described hearing explosions shortly after midnight as "
            "air defences engaged. Erbil, the capital of the Kurdistan Region, has been hit "
            "several times since 2020 by drones and rockets, including an attack in January "
            "2024 that killed civilians in the city."
        ),
    ),
    DemoArticle(
        id="ckb-erbil-drone-defence",
        url="https://demo.rostra.invalid/ckb/erbil-drone-defence",
        title="بەرگریی ئاسمانی هەولێر درۆنێکی بۆمبڕێژکراوی لە نزیک فڕۆکەخانە خستە خوارەوە",
        language="ckb",
        body=(
            "هەولێر — بەرگریی ئاسمانی هاوپەیمانان شەوی ڕابردوو درۆنێکی بۆمبڕێژکراوی لە نزیک "
            "فڕۆکەخانەی نێودەوڵەتیی هەولێر خستە خوارەوە. بەپێی بەیاننامەی دەزگای "
            "ئاسایشی هەرێمی کوردستان، هیچ کەسێک زیانی پێنەگەیشتووە و زیانی ماددیش "
            "تۆمار نەکراوە.\n\n"
            "هاوکات درۆنێکی تر ڕووی لە بنکەی عەین ئەلئەسەد لە پارێزگای ئەنبار کرد، کە "
            "هێزەکانی عێراق و ڕاوێژکارانی هاوپەیمانان تێیدا جێگیرن. بەرپرسان ڕایانگەیاند "
            "کە درۆنەکە پێش گەیشتنی بە بنکەکە لە ناوچەیەکی چۆڵدا کەوتە خوارەوە.\n\n"
            "هیچ لایەنێک تا ئێستا بەرپرسیارێتیی ئەو هێرشانەی نەگرتووەتە ئەستۆ، بەڵام "
            "لە چەند مانگی ڕابردوودا گرووپە چەکدارە نزیکەکانی ئێران بەرپرسیارێتیی "
            "چەندین هێرشی هاوشێوەیان لەسەر بنکەکانی عێراق و سووریا گرتووەتە ئەستۆ.\n\n"
            "حکوومەتی هەرێمی کوردستان هێرشەکەی ئیدانە کرد و داوای لە حکوومەتی فیدراڵ "
            "کرد ڕێوشوێنی پێویست بگرێتەبەر بۆ ڕاگرتنی ئەو هێرشانە و دەستگیرکردنی "
            "ئەنجامدەران. گەشتە ئاسمانییەکانی فڕۆکەخانەی هەولێر بۆ چەند کاتژمێرێک "
            "ڕاگیران و دواتر دەستیان پێکردەوە."
        ),
    ),
    DemoArticle(
        id="ar-anbar-base-attack",
        url="https://demo.rostra.invalid/ar/anbar-base-attack",
        title="هجوم بطائرات مسيّرة على قاعدة عين الأسد في الأنبار وأخرى قرب مطار أربيل",
        language="ar",
        body=(
            "الأنبار — تعرّضت قاعدة عين الأسد الجوية غربي العراق، التي تضم قوات عراقية "
            "ومستشارين من التحالف الدولي، لهجوم بطائرتين مسيّرتين فجر اليوم، بحسب ما أفاد "
            "مسؤولون أمنيون. وأوضح المسؤولون أن الدفاعات الجوية اعترضت إحدى الطائرتين، فيما "
            "سقطت الأخرى في منطقة مفتوحة خارج القاعدة من دون أن تسفر عن إصابات.\n\n"
            "وفي الوقت نفسه تقريباً، أسقطت الدفاعات الجوية طائرة مسيّرة كانت تقترب من مطار "
            "أربيل الدولي في إقليم كردستان، وعُلّقت الرحلات لساعات قليلة على سبيل الاحتياط "
            "قبل أن تُستأنف صباحاً.\n\n"
            "ولم تعلن أي جهة مسؤوليتها عن الهجومين حتى الآن، غير أن فصائل مسلحة مقرّبة من "
            "إيران تبنّت خلال الأشهر الماضية عشرات الهجمات المماثلة على قواعد تستضيف قوات "
            "أمريكية في العراق وسوريا.\n\n"
            "وأدانت حكومة إقليم كردستان الهجوم على أربيل، فيما جدّدت الحكومة الاتحادية في "
            "بغداد رفضها استهداف القواعد العسكرية والبعثات الدبلوماسية، مؤكدة أنها ستلاحق "
            "المسؤولين عن هذه الهجمات. وتتفاوض بغداد وواشنطن على جدول زمني لإنهاء مهمة "
            "التحالف الدولي في العراق."
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class DemoCredentials:
    username: str
    password: str
    admin_token: str


def ensure_articles(*, session: Session, site_id: str) -> int:
    """Create the demo articles that are missing; returns how many were created."""
    created = 0
    for demo in ARTICLES:
        if session.get(Article, demo.id) is None:
            queries.create_article(
                session=session,
                site_id=site_id,
                article_id=demo.id,
                url=demo.url,
                title=demo.title,
                body=demo.body,
                language=demo.language,
                actor="demo",
            )
            created += 1
    return created


def _read_credentials(path: Path) -> DemoCredentials | None:
    try:
        data = json.loads(path.read_text("utf-8"))
        return DemoCredentials(data["username"], data["password"], data["admin_token"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def ensure_credentials(*, session: Session, settings: Settings) -> DemoCredentials:
    """The demo login and admin token, created once and kept in a development-only file.

    A second run prints the same credentials as long as they still work; otherwise new ones
    are made (password reset, new token) and the file is rewritten.
    """
    if settings.environment != "development":
        raise RuntimeError("demo credentials are for ROSTRA_ENVIRONMENT=development only")
    path = settings.var_dir / CREDENTIALS_FILE
    saved = _read_credentials(path)
    moderator = queries.get_moderator_by_username(session=session, username=DEMO_USERNAME)
    if (
        saved is not None
        and moderator is not None
        and accounts.verify_password(moderator.password_hash, saved.password)
        and accounts.authenticate_token(session=session, token=saved.admin_token) is not None
    ):
        return saved
    password = secrets.token_urlsafe(12)
    if moderator is None:
        accounts.create_moderator(
            session=session,
            username=DEMO_USERNAME,
            password=password,
            role="admin",
            display_name="Demo moderator",
            actor="demo",
        )
    else:
        moderator.password_hash = accounts.hash_password(password)
        moderator.active = True
    _, token = accounts.create_api_token(
        session=session, name="demo admin", role="admin", actor="demo"
    )
    credentials = DemoCredentials(DEMO_USERNAME, password, token)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "username": credentials.username,
                "password": credentials.password,
                "admin_token": credentials.admin_token,
                "note": "development only: created by `rostra serve --demo`",
            },
            indent=2,
        ),
        "utf-8",
    )
    path.chmod(0o600)
    return credentials


def prepare_demo(*, session: Session, settings: Settings) -> DemoCredentials:
    """Site, articles and credentials for the demo, idempotently. The caller commits."""
    queries.ensure_site(
        session=session, site_id=settings.site_id, name="rostra demo", moderation_mode="pre"
    )
    created = ensure_articles(session=session, site_id=settings.site_id)
    if created:
        log.info("created %d demo articles", created)
    return ensure_credentials(session=session, settings=settings)
