"""Phrases that mark a line as page furniture rather than article, grouped by kind.

Data, not code. The lists hold wording common to many sites (navigation, sharing, comment
widgets, sign-up prompts, legal footers, related-article widgets) in the languages the
pages we see are written in: English, German, French, Spanish, Portuguese, Italian and
Dutch. They are evidence, not verdicts: :mod:`normaliser.text.measure` turns a match into a feature
and the trained model weighs it against the line's context (a "Comments" heading inside a
forum post is content). The kind also names the reason recorded for a removed line.

Three kinds of match, from strongest to weakest:

* :data:`WHOLE_LINE`: the whole line, casefolded with punctuation dropped and digits read
  as ``0``, is the phrase ("Leave a Comment", "0 comments", "Share this:").
* :data:`LINE_START`: the line starts with the pattern ("Share this story on...",
  "Copyright 2024 ...", "Related: ...").
* :data:`ANYWHERE`: the pattern occurs somewhere in the line ("All rights reserved").
"""

from __future__ import annotations

import re

from normaliser.reasons import Removal

# The kinds are the furniture reasons of the registry (reasons.Removal); their slugs are
# also the text model's feature names.
KINDS: tuple[str, ...] = (
    Removal.NAVIGATION,
    Removal.SHARE,
    Removal.COMMENTS_WIDGET,
    Removal.RELATED,
    Removal.ACCOUNT,
    Removal.LEGAL,
    Removal.ADVERTISING,
    Removal.SOURCE,
    Removal.WIDGET,
    Removal.MEDIA_CREDIT,
    Removal.BYLINE,
    Removal.DATELINE,
)

_WHOLE_LINE_PHRASES: dict[str, str] = {
    Removal.NAVIGATION: """
        home | home page | homepage | menu | main menu | open menu | close menu | close | toggle navigation |
        navigation | skip to content | skip to main content | skip to navigation | jump to navigation |
        skip to content skip to site index | accessibility links | back to top | top | go to top | search |
        search this site | search for | next | previous | prev | next page | previous page | next article |
        previous article | next post | previous post | older posts | newer posts | more | show more | load more |
        view all | see all | see more | sections | site map | sitemap | contact | contact us | about | about us |
        help | faq | rss | rss feed | rss feeds | feeds | archive | archives | print edition | today s paper |
        startseite | suche | suchen | zurück | weiter | mehr | nach oben | kontakt | accueil | rechercher |
        recherche | suivant | précédent | haut de page | inicio | buscar | búsqueda | siguiente | anterior |
        volver arriba | início | pesquisar | busca | próximo | cerca | avanti | indietro | zoeken | volgende |
        vorige""",
    Removal.SHARE: """
        share | share this | share this article | share this story | share this page | share this post |
        share on facebook | share on twitter | share on linkedin | share via email | tweet | tweet this | pin it |
        facebook | twitter | linkedin | pinterest | whatsapp | reddit | tumblr | digg | delicious | stumbleupon |
        email | e mail | email this | print | print this | print this article | share article | share story |
        share this with | share with friends | you can share this story on social media | copy link | copiar link |
        teilen | artikel teilen | drucken | partager | partager cet article | imprimer | compartir |
        compartilhar | compartilhe | imprimir | condividi | stampa | delen""",
    Removal.COMMENTS_WIDGET: """
        leave a comment | leave a reply | post a comment | add a comment | add comment | add your comment |
        write a comment | comments | comment | 0 comments | 0 comment | comments 0 | 0 responses | 0 replies |
        reply | show comments | view comments | read comments | join the discussion | join the conversation |
        no comments | no comments yet | be the first to comment | comments are closed | discussion |
        kommentare | kommentar | kommentieren | 0 kommentare | commentaires | commentaire | 0 commentaires |
        laisser un commentaire | comentarios | comentario | 0 comentarios | deja un comentario | comentários |
        deixe um comentário | commenti | commento | lascia un commento | reacties | reageer""",
    Removal.RELATED: """
        you may also like | you might also like | related | related articles | related posts | related stories |
        related content | related news | related links | read more | read next | more stories | more news |
        more from | recommended | recommended for you | most read | most popular | most viewed | popular |
        popular posts | popular stories | trending | trending now | top stories | latest news | latest |
        latest stories | see also | also read | further reading | more on this story | don t miss |
        das könnte sie auch interessieren | mehr zum thema | lesen sie auch | weitere artikel | à lire aussi |
        lire aussi | sur le même sujet | voir aussi | te puede interesar | noticias relacionadas | lee también |
        ver también | leia também | veja também | mais lidas | leggi anche | potrebbe interessarti | lees ook""",
    Removal.ACCOUNT: """
        sign in | sign up | log in | login | log out | logout | register | subscribe | subscribe now |
        create account | create an account | my account | account | newsletter | newsletters |
        sign up for our newsletter | subscribe to our newsletter | get the newsletter | already a subscriber |
        forgot password | forgot your password | username | password | remember me | submit | join |
        anmelden | abmelden | registrieren | abonnieren | se connecter | connexion | s abonner | inscription |
        iniciar sesión | registrarse | suscríbete | entrar | assine | cadastre se | accedi | registrati |
        abbonati | inloggen | abonneren""",
    Removal.LEGAL: """
        privacy | privacy policy | privacy notice | cookie policy | cookies | cookie settings | terms |
        terms of use | terms of service | terms and conditions | terms conditions | legal | legal notice |
        disclaimer | accessibility | all rights reserved | copyright | impressum | datenschutz |
        datenschutzerklärung | nutzungsbedingungen | agb | mentions légales | politique de confidentialité |
        aviso legal | política de privacidad | política de privacidade | termos de uso | note legali |
        privacyverklaring""",
    Removal.ADVERTISING: """
        advertisement | advertisements | advertising | advertise | advertise with us | ad | ads | sponsored |
        sponsored content | paid content | promoted | continue reading the main story | continue reading |
        story continues below advertisement | article continues below | anzeige | werbung | publicité |
        publicidad | publicidade | pubblicità | advertentie""",
    Removal.SOURCE: """
        source link | source | sources | via | original article | read the original | read original article |
        quelle | fuente | fonte""",
    Removal.WIDGET: """
        featured | featured posts | recent | recent posts | recent comments | recent articles | categories |
        category | tags | tag | tag cloud | blogroll | follow us | follow | connect with us | stay connected |
        find us on facebook | like us on facebook | editor s picks | editors picks | in the news | more in |
        explore | topics | about the author | about this author | author | photos | photo gallery | video |
        videos | watch | listen | kategorien | schlagwörter | folgen sie uns | catégories | étiquettes |
        suivez nous | categorías | etiquetas | síguenos | categorias | siga nos | categorie | seguici""",
    Removal.MEDIA_CREDIT: """
        photo | image | getty images | reuters | ap | afp | epa | shutterstock | istock | file photo |
        enlarge this image | enlarge | toggle caption | hide caption | image source | image caption |
        media playback is unsupported on your device""",
}

#: Normalised whole line -> kind.
WHOLE_LINE: dict[str, str] = {}

_NON_WORD = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")
_ASCII_KEY = {
    code: (chr(code).lower() if chr(code).isalpha() else "\0" if chr(code).isdigit() else " ") for code in range(128)
}


def phrase_key(line: str) -> str:
    """The form a line is looked up in :data:`WHOLE_LINE` by.

    >>> phrase_key("  Comments (12) ")
    'comments 0'
    >>> phrase_key("Share this:")
    'share this'
    """
    if line.isascii():
        # The same key without regexes for the usual short ASCII line: letters fold to
        # lower case, other characters but digits to spaces (a digit, marked NUL here,
        # needs the regex to fold its run to one "0").
        key = " ".join(line.translate(_ASCII_KEY).split())
        if "\0" not in key:
            return key
    return _NON_WORD.sub(" ", _DIGITS.sub("0", line.casefold())).strip()


for _kind, _phrases in _WHOLE_LINE_PHRASES.items():
    for _phrase in _phrases.split("|"):
        WHOLE_LINE.setdefault(phrase_key(_phrase), _kind)

#: No line longer than this (in words) can be a whole-line phrase.
WHOLE_LINE_MAX_WORDS: int = max(len(key.split()) for key in WHOLE_LINE)

# Line-start patterns, one alternative per kind; matched casefolded. A name after a byline
# word is checked for capitals on the original line by the caller.
_LINE_START_PATTERNS: dict[str, str] = {
    Removal.SHARE: r"(share|tweet|email|send) (this|on|via|to|with)\b|you can share|teilen sie|partager sur|"
    r"compartir en|compartilhe n|condividi su",
    Removal.COMMENTS_WIDGET: r"(?<!\d)\d+ (comments?|responses?|replies|kommentare?|commentaires?|comentários?|"
    r"comentarios?|commenti)\b|"
    r"(comments?|kommentare|commentaires|comentarios|comentários|commenti) ?\(\d+\)|"
    r"(leave|post|add|write) a (comment|reply)|you must be logged in|log in to (comment|reply)|"
    r"comments are closed",
    Removal.RELATED: r"(related|read more|see also|also read|more from|more on|read next|recommended|lesen sie auch|"
    r"mehr zum thema|lire aussi|à lire aussi|leia também|veja também|lee también|leggi anche)\b ?[:|»›>-]",
    Removal.ACCOUNT: r"(sign up|subscribe|register|log in|sign in) (for|to|now|here|with|today)\b|"
    r"(get|receive) (our|the) (newsletter|daily|weekly)|already (have an account|a subscriber)|"
    r"(newsletter|abonnieren sie|abonnez vous|suscríbete|assine)\b",
    Removal.LEGAL: r"©|\(c\) ?\d{4}|copyright\b|\d{4} ?(©|copyright)|(all|some) rights? reserved|"
    r"alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|todos os direitos reservados|"
    r"tutti i diritti riservati|we use cookies|this (web)?site uses cookies|by (using|continuing)",
    Removal.ADVERTISING: r"(advertisement|sponsored by|paid for by|presented by|promoted by)\b",
    Removal.SOURCE: r"(source|sources|quelle|fuente|fonte|via) ?:",
    Removal.WIDGET: r"(tags|tagged|tagged with|filed under|categories|category|posted in|labels|topics|schlagwörter|"
    r"étiquettes|etiquetas|categorias) ?:",
    Removal.MEDIA_CREDIT: r"(media caption|image caption|caption|view photos|view gallery)\b|"
    r"(photo|image|picture|photograph|credit|foto|bild|fotografía|imagem|caption)s? ?"
    r"(credit|by|courtesy|source)?\s?[:|]|(photo|image|picture) (credit|courtesy|by)\b|"
    r"\((photo|image|foto|bild)\b|(getty images|ap photo|reuters|afp|epa)\s?/",
    Removal.BYLINE: r"(by|written by|posted by|words by|story by|von|par|por|di|door|av|af|autor|author|auteur|"
    r"autore|text|texto|redacción|reporting by)\s?:?\s",
    Removal.DATELINE: r"(published|updated|posted|last updated|last modified|veröffentlicht|aktualisiert|publié|"
    r"mis à jour|publicado|actualizado|atualizado|pubblicato|aggiornato|gepubliceerd)\b",
}

#: Kinds whose patterns need the rest of the line checked before they count (see
#: :mod:`normaliser.text.measure`): a byline must be short and name-like, a dateline short.
NEEDS_SHORT_LINE: frozenset[str] = frozenset(
    {Removal.BYLINE, Removal.DATELINE, Removal.SOURCE, Removal.WIDGET, Removal.MEDIA_CREDIT, Removal.RELATED}
)

LINE_START: re.Pattern[str] = re.compile(
    "|".join(f"(?P<{kind.replace('-', '_')}>{pattern})" for kind, pattern in _LINE_START_PATTERNS.items())
)

#: Group name in :data:`LINE_START` -> kind.
LINE_START_KIND: dict[str, str] = {kind.replace("-", "_"): kind for kind in _LINE_START_PATTERNS}

#: Words one of which a line must have (or a ``©``) for :data:`ANYWHERE` to be worth trying.
ANYWHERE_HINTS: frozenset[str] = frozenset(
    {
        "reserved",
        "vorbehalten",
        "réservés",
        "reservados",
        "riservati",
        "privacy",
        "terms",
        "cookie",
        "cookies",
        "powered",
        "designed",
        "theme",
        "click",
        "subscribe",
        "newsletter",
        "sign",
        "log",
    }
)

# Furniture wording that can sit anywhere in a footer line, casefolded.
ANYWHERE: re.Pattern[str] = re.compile(
    r"all rights? reserved|alle rechte vorbehalten|tous droits réservés|derechos reservados|direitos reservados|"
    r"diritti riservati|privacy policy|terms of (use|service)|cookie policy|\bcookies\b|©|powered by|"
    r"designed by|theme by|\bclick here\b|\bsubscribe\b|\bnewsletter\b|\bsign up\b|\blog in\b|\bsign in\b"
)
