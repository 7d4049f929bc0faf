"""Word lists for the synthetic help centre: English, pseudo-Spanish and pseudo-German.

The lists are small and hand-written; :mod:`synth` extends each with made-up words built
from syllables so that the vocabulary (and so the search index) grows like a real site's.
"""

from __future__ import annotations


def _split(text: str) -> list[str]:
    return text.split()


EN_COMMON = _split(
    """
the a to and of your you in is it for on that this with we can be if or are as
have will not at from by when our an it's any more after all before then there
they what which one need use time just also only other new some into out up about
your own each most how may than these about once still without every while them
their should would could during until within again through because both same next
first last right before here where also never always often usually sometimes
"""
)

EN_BODY = _split(
    """
account bill payment refund charge contract plan upgrade speed signal network
router hub booster cable socket light setting password email app website browser
phone mobile sim esim number voicemail call message data roaming allowance balance
engineer appointment visit installation order delivery return parcel label box
device screen button menu option page step code screen connection line fibre
broadband wifi ethernet port device laptop tablet television channel recording
service outage fault repair ticket case team agent chat support customer address
postcode area exchange street cabinet mast coverage upload download latency test
result report problem issue error warning update restart reset backup security
scam fraud login sign identity check verification document statement invoice
discount offer price cost fee credit debit card bank direct month week day hour
minute second today tomorrow weekend evening morning business home office school
family children parent guest visitor neighbour landlord tenant owner holder user
works works check make sure try keep turn switch plug unplug wait open close select
choose tap press hold enter type save change move add remove cancel confirm send
receive download install update connect disconnect pair share forward block allow
"""
)

EN_VERBS = _split(
    """
reset restart update change set-up check move cancel activate replace fix find
pay claim report block unlock transfer track upgrade downgrade pause resume manage
connect pair share renew return order book request confirm verify protect recover
download install remove add switch keep test improve speed-up troubleshoot register
"""
)

EN_ADJS = _split(
    """
new old lost stolen slow broken missing wrong late extra free monthly annual
second spare backup wireless wired mobile digital paper shared joint business
family guest international local premium basic unlimited prepaid unexpected
faulty frozen blocked locked expired duplicate temporary permanent first final
"""
)

EN_NOUNS = _split(
    """
account bill payment refund contract plan upgrade router hub booster cable socket
password email app phone sim esim number voicemail call message data roaming
allowance balance engineer appointment installation order delivery return device
screen line fibre broadband wifi ethernet laptop tablet tv-box channel recording
outage fault repair complaint address postcode exchange cabinet coverage speed
upload download latency security scam login identity statement invoice discount
offer price fee credit direct-debit card bank parental-controls guest-network
mesh extender firmware modem dial-tone handset answerphone caller-id call-barring
pin puk porting pac-code stac-code bundle add-on tariff credit-check deposit
arrears late-payment paperless e-bill itemised-bill usage cap throttling
static-ip dns port-forwarding vpn ipv6 dhcp mac-address ssid channel-width band
5g 4g volte wifi-calling signal-booster femtocell mast-work maintenance upgrade-path
smart-tv streaming set-top-box recording-space subtitles audio-description
accessibility large-print braille relay-service power-of-attorney bereavement
moving-home new-tenant landlord business-line static-address domain mailbox
spam-filter phishing two-factor recovery-code backup-number trade-in insurance
warranty repair-centre courier collection drop-off refund-card gift-card voucher
loyalty-reward referral student-discount social-tariff priority-care
"""
)

EN_PREPS = _split("on for with after from in to without during at")

EN_DEVICES = [
    "Hub 4",
    "Hub 5",
    "Smart Hub Pro",
    "Wi-Fi Booster",
    "TV Box S",
    "TV Box 4K",
    "Home Phone Base",
    "Mobile Broadband Dongle",
    "Brightwave app",
    "My Brightwave",
]

EN_STATES = [
    "not working",
    "keeps dropping",
    "very slow",
    "stuck on amber",
    "offline",
    "showing an error",
    "not charging",
    "missing from the list",
    "asking for a PIN",
    "locked",
    "not updating",
]

ES_WORDS = _split(
    """
el la los las un una de del y en con para por que tu su tus sus es son está están
cuenta factura pago reembolso cargo contrato tarifa mejora velocidad señal red
router concentrador cable toma luz ajuste contraseña correo aplicación sitio
navegador teléfono móvil tarjeta número buzón llamada mensaje datos itinerancia
saldo técnico cita instalación pedido entrega devolución etiqueta caja dispositivo
pantalla botón menú opción página paso código conexión línea fibra banda ancha
wifi puerto portátil televisor canal grabación servicio avería reparación equipo
chat soporte cliente dirección código postal zona central poste cobertura subida
bajada prueba resultado problema error aviso actualización reinicio copia
seguridad fraude acceso identidad documento extracto descuento oferta precio coste
tarifa crédito débito tarjeta banco mes semana día hora minuto hoy mañana fin
semana tarde casa oficina familia hijos invitado vecino propietario titular
usuario comprueba asegúrate prueba mantén enciende apaga conecta desconecta espera
abre cierra selecciona elige pulsa mantén introduce guarda cambia mueve añade
elimina cancela confirma envía recibe descarga instala actualiza comparte bloquea
permite normalmente siempre nunca a veces después antes luego también solo cada
nuevo antiguo perdido robado lento roto falta incorrecto tarde extra gratis
mensual anual segundo repuesto inalámbrico digital compartido empresa
"""
)

DE_WORDS = _split(
    """
der die das ein eine den dem des und in mit für von auf zu ist sind wird werden
Ihr Ihre Ihren Ihrem Sie wir nicht auch nur noch dann wenn oder aber nach vor bei
Konto Rechnung Zahlung Erstattung Gebühr Vertrag Tarif Upgrade Geschwindigkeit
Signal Netz Router Verstärker Kabel Steckdose Leuchte Einstellung Passwort
E-Mail App Webseite Browser Telefon Handy SIM-Karte Nummer Mailbox Anruf Nachricht
Daten Roaming Guthaben Techniker Termin Installation Bestellung Lieferung
Rücksendung Etikett Karton Gerät Bildschirm Taste Menü Option Seite Schritt Code
Verbindung Leitung Glasfaser Breitband WLAN Anschluss Laptop Fernseher Sender
Aufnahme Dienst Störung Reparatur Team Chat Kundin Kunde Adresse Postleitzahl
Gebiet Vermittlung Verteiler Mast Abdeckung Upload Download Messung Ergebnis
Problem Fehler Hinweis Aktualisierung Neustart Sicherung Sicherheit Betrug Anmeldung
Identität Dokument Auszug Rabatt Angebot Preis Kosten Gutschrift Lastschrift Karte
Bank Monat Woche Tag Stunde Minute heute morgen Wochenende Abend Zuhause Büro
Familie Kinder Gast Nachbar Vermieter Inhaber Nutzer prüfen sicherstellen
versuchen halten einschalten ausschalten verbinden trennen warten öffnen
schließen wählen tippen drücken eingeben speichern ändern verschieben hinzufügen
entfernen kündigen bestätigen senden empfangen herunterladen installieren teilen
sperren erlauben normalerweise immer nie manchmal danach vorher zuerst jeden
neu alt verloren gestohlen langsam defekt fehlend falsch zusätzlich kostenlos
monatlich jährlich zweiter drahtlos digital gemeinsam geschäftlich
"""
)

ES_TITLE_VERBS = _split(
    """
Cómo-cambiar Cómo-activar Cómo-revisar Cómo-cancelar Cómo-configurar Cómo-pagar
Cómo-reclamar Cómo-bloquear Cómo-recuperar Cómo-renovar Cómo-proteger Cómo-instalar
Qué-hacer-con Dónde-encontrar Cuándo-cambiar Guía-para
"""
)

DE_TITLE_VERBS = _split(
    """
So-ändern-Sie So-aktivieren-Sie So-prüfen-Sie So-kündigen-Sie So-richten-Sie
So-bezahlen-Sie So-sperren-Sie So-schützen-Sie So-installieren-Sie
Was-tun-bei Wo-finden-Sie Anleitung-für Hilfe-bei Alles-über
"""
)

FIRST_NAMES = _split(
    """
alex sam jo chris robin kim lee pat max charlie jamie morgan taylor casey riley
avery quinn drew sky rowan ellis frankie nico dani toni lou mel ash bea cal dev
"""
)

ADMONITIONS: dict[str, list[tuple[str, str | None]]] = {
    "en": [
        ("tip", None),
        ("note", None),
        ("warning", "Before you start"),
        ("info", "Good to know"),
    ],
    "es": [("tip", "Consejo"), ("note", "Nota"), ("warning", "Antes de empezar")],
    "de": [("tip", "Tipp"), ("note", "Hinweis"), ("warning", "Bevor Sie beginnen")],
}

SEE_ALSO = {"en": "See", "es": "Consulta", "de": "Siehe"}
MORE = {"en": "for more detail", "es": "para más detalles", "de": "für weitere Details"}

SYLLABLES = {
    "en": _split("ka ro mi tel ban sor vin dre lo pa ten gri mor sa lu fen dar ix ol ep"),
    "es": _split("ca ro mi to ba sa ve de lo pa te gri mo la lu fe da ción os es"),
    "de": _split("ka ro mi tel ban sor ver dre lo pa ten gri mor sa lu fen dar ung en ein"),
}

# (folder, icon, English title, Spanish title, German title, subject words for descriptions)
CATEGORIES = [
    (
        "billing",
        "credit-card-outline",
        "Billing and payments",
        "Facturación y pagos",
        "Rechnungen und Zahlungen",
    ),
    ("broadband", "wifi", "Broadband", "Banda ancha", "Breitband"),
    ("mobile", "cellphone", "Mobile", "Móvil", "Mobilfunk"),
    ("account", "account-cog-outline", "Your account", "Tu cuenta", "Ihr Konto"),
    (
        "faults",
        "lan-disconnect",
        "Outages and troubleshooting",
        "Averías y soluciones",
        "Störungen und Fehlerbehebung",
    ),
    (
        "devices",
        "router-wireless",
        "Router and setup",
        "Router y configuración",
        "Router und Einrichtung",
    ),
    ("tv", "television", "TV and streaming", "Televisión y streaming", "TV und Streaming"),
    ("home-phone", "phone-classic", "Home phone", "Teléfono fijo", "Festnetz"),
    (
        "security",
        "shield-lock-outline",
        "Security and scams",
        "Seguridad y fraudes",
        "Sicherheit und Betrug",
    ),
    (
        "business",
        "briefcase-outline",
        "Business customers",
        "Clientes de empresa",
        "Geschäftskunden",
    ),
    (
        "accessibility",
        "wheelchair-accessibility",
        "Accessibility and extra help",
        "Accesibilidad y ayuda adicional",
        "Barrierefreiheit und zusätzliche Hilfe",
    ),
    ("moving", "truck-outline", "Moving home", "Mudanzas", "Umzug"),
    (
        "contracts",
        "file-document-outline",
        "Contracts and leaving",
        "Contratos y bajas",
        "Verträge und Kündigung",
    ),
    ("roaming", "earth", "Travel and roaming", "Viajes e itinerancia", "Reisen und Roaming"),
    ("email", "email-outline", "Email and webmail", "Correo y webmail", "E-Mail und Webmail"),
    (
        "apps",
        "application-outline",
        "The Brightwave app",
        "La app de Brightwave",
        "Die Brightwave-App",
    ),
    ("smart-home", "home-automation", "Smart home", "Hogar inteligente", "Smart Home"),
    ("payments", "cash", "Top-ups and pay as you go", "Recargas y prepago", "Aufladen und Prepaid"),
    ("sim", "sim-outline", "SIM cards and eSIM", "Tarjetas SIM y eSIM", "SIM-Karten und eSIM"),
    (
        "repairs",
        "tools",
        "Repairs and returns",
        "Reparaciones y devoluciones",
        "Reparaturen und Rücksendungen",
    ),
]
