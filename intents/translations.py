"""A word of a task's name said in translation: the glossary of the nouns task names are made of.

Task names are English, and people who write in Spanish, German, French, Portuguese, Italian,
Dutch, Polish, Swedish or Turkish name them in their own words: "el pronóstico de demanda" of a
"Demand Forecast", "der Fahrplan" of a "Timetable", "la copia de seguridad" of a "Backup",
"das Lager" of a "Warehouse", "la flota" of a "Fleet". `intents.cognates` meets the Latin and
Greek words every language shares ("calibración"); these are the others, each language's own
word, which no spelling rule reaches. The nouns (and a few adjectives) that names in software,
operations, business and science are made of are a short, closed list, so a table of them is
enough: `translations` gives the English words a foreign word (or the last or first part of a
German, Dutch or Swedish compound: "Wetterbericht", "lagerbestand") is a translation of, and
the task index reads those as it reads a cognate, a guess asked about before anything changes.

Only distinctive words: a form that is an English word too ("bed", "bank", "port", "pain"),
one of fewer than four letters ("pan", "tid", "van"), one the everyday tables of
`intents.languages` already read as English ("prêt"), or one that is as often an everyday word
of its language that names nothing ("seguro" is also "sure", "weer" also "again", "muestra"
also "shows") is dropped when the table is read. A name of two words ("masa madre", "mise à
jour") is not here: neither word names it alone.
"""

from __future__ import annotations

from functools import lru_cache

from intents.languages import FOREIGN_WORDS

__all__ = ["TRANSLATIONS", "translations"]

# English word | Spanish | German | French | Portuguese | Italian | Dutch | Polish | Swedish |
# Turkish; each cell the forms people write (singular, plural, the Swedish definite, the Polish
# and Turkish cases that follow a verb), comma-separated, accents as written. An empty cell is
# a language whose word is the English one or a cognate (`intents.cognates` meets those).
_TABLE = """
forecast|pronóstico,pronósticos,previsión,previsiones|prognose,vorhersage,vorhersagen|prévision,prévisions|previsão,previsões|previsione,previsioni|voorspelling,voorspellingen|prognoza,prognozy,prognozę|prognos,prognosen|tahmin,tahmini
demand|demanda|nachfrage,bedarf|demande|procura|domanda|vraag|popyt,popytu|efterfrågan|talep,talebi
timetable|horario,horarios|fahrplan,fahrpläne,stundenplan|horaire,horaires|horário,horários|orario,orari|dienstregeling|rozkład,rozkładu|tidtabell,tidtabellen|tarifesi
schedule|calendario,planificación|zeitplan,terminplan|planning,calendrier|cronograma,agenda|calendario,pianificazione|planning,rooster|harmonogram,harmonogramu|schema,schemat,schemalägg|takvim,takvimi
sourdough||sauerteig|levain|fermento|lievito|zuurdesem|zakwas,zakwasu|surdeg,surdegen|
bread|barra,panes|brot,brote|pain,pains|pães|pane|brood|chleb,chleba|bröd,brödet|ekmek,ekmeği
bakery|panadería|bäckerei|boulangerie|padaria|panetteria,panificio|bakkerij|piekarnia,piekarni|bageri,bageriet|fırın,fırını
backup|copia,copias,respaldo|sicherung,sicherungen,datensicherung|sauvegarde,sauvegardes|cópia,cópias|copia,copie|reservekopie|kopia,kopii,kopię|säkerhetskopia,säkerhetskopian|yedek,yedekleme,yedeği
report|informe,informes|bericht,berichte|rapport|relatório,relatórios|rapporto|rapportage,verslag|raport,raportu|rapport,rapporten|rapor,raporu
inventory|inventario|lager,lagerbestand,bestand,bestände,inventur|inventaire|estoque,inventário|inventario,giacenze|voorraad|inwentarz,zapas,zapasy|inventering,lagret|envanter,envanteri
stock|existencias|lagerbestand|stocks|estoques|scorte|voorraden|zapasów|lagersaldo|stoku
warehouse|almacén,almacenes,bodega|lager,lagerhaus,lagerhalle|entrepôt,entrepôts|armazém,armazéns|magazzino,magazzini|magazijn,pakhuis|magazyn,magazynu|lagret|depo,deposu,ambar
fleet|flota,flotas|flotte|flotte|frota,frotas|flotta|vloot|flota,floty,flotę|flottan,flottor|filo,filosu
vehicle|vehículo,vehículos|fahrzeug,fahrzeuge|véhicule|veículo,veículos|veicolo,veicoli|voertuig,voertuigen|pojazd,pojazdy|fordon,fordonet|araç,aracı,araçlar
truck|camión,camiones|lastwagen,laster|camion,camions|caminhão,caminhões|camion,camion|vrachtwagen|ciężarówka,ciężarówki|lastbil,lastbilar|kamyon,kamyonu
invoice|factura,facturas|rechnung,rechnungen|facture,factures|fatura,faturas|fattura,fatture|factuur,facturen|faktura,faktury,fakturę|faktura,fakturor|fatura,faturası
billing|facturación|abrechnung|facturation|faturamento|fatturazione|facturatie|fakturowanie|fakturering|faturalama
payroll|nómina,nóminas|lohnabrechnung,gehaltsabrechnung|paie|folha|paghe,stipendi|salarisadministratie,loonlijst,salaris|płace,wypłaty|lönekörning,löner,lönen|bordro,bordrosu
salary|salario,salarios,sueldo,sueldos|gehalt,gehälter,löhne|salaire,salaires|salário,salários|stipendio|salaris|pensja,pensje|lön,lönen|maaş,maaşı,maaşlar
order|pedido,pedidos|bestellung,bestellungen|commande,commandes|pedido,pedidos|ordine,ordini|bestelling,bestellingen|zamówienie,zamówienia|beställning,beställningar|sipariş,siparişi,siparişler
customer|cliente,clientes|kunde,kunden|client,clients|cliente,clientes|cliente,clienti|klant,klanten|klient,klienci,klientów|kund,kunder,kunden|müşteri,müşteriler
supplier|proveedor,proveedores|lieferant,lieferanten|fournisseur,fournisseurs|fornecedor,fornecedores|fornitore,fornitori|leverancier,leveranciers|dostawca,dostawcy|leverantör,leverantörer|tedarikçi
ticket|billete,billetes,boleto,boletos|fahrkarte,fahrkarten|billet,billets|bilhete,bilhetes|biglietto,biglietti|kaartje,kaartjes|bilet,bilety|biljett,biljetter|bilet,bileti
booking|reserva,reservas|buchung,buchungen|réservation|reserva,reservas|prenotazione,prenotazioni|boeking,boekingen|rezerwacja,rezerwacji|bokning,bokningar|rezervasyon
survey|encuesta,encuestas|umfrage,umfragen|sondage,enquête|pesquisa,inquérito|sondaggio,indagine|enquête,peiling|ankieta,ankiety|enkät,enkäten|anket,anketi
sensor|sensores|fühler|capteur,capteurs|sensores|sensori|sensoren|czujnik,czujniki,czujników|givare|algılayıcı
water|agua,aguas|wasser|eau,eaux|água,águas|acqua|water|woda,wody|vatten,vattnet|suyu
soil|suelo,suelos|boden,böden|sols|solo,solos|suolo,terreno|bodem|gleba,gleby|jord,jorden|toprak,toprağı
weather|clima,tiempo|wetter|météo|clima,tempo|meteo|weer,weerbericht|pogoda,pogody|väder,vädret|hava,durumu
traffic|tráfico|verkehr|trafic|tráfego,trânsito|traffico|verkeer|ruch|trafik,trafiken|trafik,trafiği
library|biblioteca,bibliotecas|bibliothek,bücherei|bibliothèque|biblioteca|biblioteca|bibliotheek|biblioteka,biblioteki|bibliotek,biblioteket|kütüphane,kütüphanesi
loan|préstamo,préstamos|kredit,kredite,darlehen|prêt,prêts|empréstimo,empréstimos|prestito,prestiti|lening,leningen|pożyczka,pożyczki,kredyt|lån,lånet|kredi,kredisi
mirror|espejo,espejos|spiegel|miroir|espelho|specchio|spiegel|lustro,lustra|spegel,spegeln|ayna,aynası
collar|collares|halsband|collier|coleira|collare|halsband|obroża,obroży|halsband|tasma,tasması
wind|viento|windkanal|vent|vento|vento|windtunnel|wiatr|vind,vinden|rüzgar,rüzgâr
wing|alas|flügel,tragfläche|aile|asa|ala|vleugel|skrzydło|vinge,vingen|kanat,kanadı
tunnel|túnel|tunnel|tunnel|túnel|galleria|tunnel|tunel|tunnel|tüneli
ferry|transbordador|fähre,fähren|traversier|balsa|traghetto,traghetti|veerboot,veerpont|prom,promu|färja,färjan|feribot,vapur
harbour|puerto|hafen|port|porto|porto|haven|port,portu|hamn,hamnen|liman,limanı
museum|museo|museum|musée|museu|museo|museum|muzeum|museum|müze,müzesi
archive|archivo,archivos|archiv|archives|arquivo,arquivos|archivio|archief|archiwum|arkiv,arkivet|arşiv,arşivi
school|escuela,escuelas,colegio|schule,schulen|école,écoles|escola,escolas|scuola,scuole|school,scholen|szkoła,szkoły|skola,skolan|okul,okulu
hospital|hospital|krankenhaus,klinik|hôpital|hospital|ospedale|ziekenhuis|szpital,szpitala|sjukhus,sjukhuset|hastane,hastanesi
patient|paciente,pacientes|patient|patient|paciente|paziente,pazienti|patiënt|pacjent,pacjenci|patient|hasta,hastalar
bed|cama,camas|bett,betten|lits|cama,camas|letto,letti|bedden|łóżko,łóżka,łóżek|säng,sängar|yatak,yatağı
claim|reclamación,reclamaciones,siniestro|schadensfall,anspruch|réclamation,sinistre|sinistro|sinistro,reclamo|schadeclaim|roszczenie,roszczenia|skadeanmälan|hasar,talep
insurance|seguro,seguros|versicherung|assurance|seguro|assicurazione|verzekering|ubezpieczenie|försäkring|sigorta,sigortası
release|lanzamiento|veröffentlichung,freigabe|version|lançamento|rilascio|uitgave|wydanie,wydania|utgåva,utgåvan,släpp,släppet|sürüm,sürümü
build|compilación|kompilierung|compilation|compilação|compilazione|bouwen|kompilacja|bygge,bygget|derleme,derlemesi
deploy|despliegue|bereitstellung,auslieferung||implantação|distribuzione|uitrol|wdrożenie,wdrożenia|driftsättning|dağıtım,dağıtımı
rollout|despliegue|ausrollen|déploiement|implantação|distribuzione|uitrol|wdrożenie|utrullning|yayılım
update|actualización|aktualisierung||atualização|aggiornamento|bijwerking|aktualizacja|uppdatering|güncelleme
upgrade|mejora|aufrüstung|montée|melhoria|potenziamento|opwaardering|ulepszenie|uppgradering|yükseltme,yükseltmesi
training|entrenamiento|ausbildung|entraînement|treinamento,treino|addestramento|opleiding|szkolenie,trening,treningu,trenowanie|träning,träningen,utbildning|eğitim,eğitimi
fermentation||gärung,gärungen|||fermentazione|gisting|fermentacja,fermentacji|jäsning,jäsningen|mayalanma
brewery|cervecería,cervecerías|brauerei,brauereien||cervejaria,cervejarias|birrificio,birreria|brouwerij,brouwerijen|browar,browaru,browarze|bryggeri,bryggeriet|
tile|tesela,teselas,teselado|kachel,kacheln,kachelung|tuile,tuiles,tuilage|ladrilho,ladrilhos|tassello,tasselli|tegel,tegels|kafelek,kafelki,kafelków,kafelkowanie,kafelkowania||
pipeline|canalización|rohrleitung|chaîne|esteira|condotta|pijplijn|potok|rörledning|boru,hattı
approval|aprobación|genehmigung|approbation|aprovação|approvazione|goedkeuring|zatwierdzenie,akceptacja|godkännande,godkännandet|onay,onayı
store|tienda,tiendas|laden,geschäft,filiale|magasin,magasins|loja,lojas|negozio,negozi|winkel,winkels|sklep,sklepu|butik,butiken|mağaza,mağazası
shop|tienda|laden|boutique|loja|negozio|winkel|sklep|affär|dükkan
price|precio,precios|preis,preise|prix|preço,preços|prezzo,prezzi|prijs,prijzen|cena,ceny|pris,priser|fiyat,fiyatı,fiyatlar
pricing|tarifas|preisgestaltung|tarification|precificação|prezzi|prijsstelling|cennik|prissättning|fiyatlandırma
sales|ventas|verkauf,verkäufe,umsatz|ventes|vendas|vendite|verkoop|sprzedaż,sprzedaży|försäljning,försäljningen|satış,satışlar
revenue|ingresos|einnahmen,erlöse|revenus,chiffre|receita|ricavi|omzet|przychód,przychody|intäkter|gelir,geliri
budget|presupuesto|haushalt|budget|orçamento|bilancio|begroting|budżet,budżetu|budget|bütçe,bütçesi
account|cuenta,cuentas|konto,konten|compte,comptes|conta,contas|conto,conti|rekening|konto|konto|hesap,hesabı
payment|pago,pagos|zahlung,zahlungen|paiement,paiements|pagamento|pagamento|betaling,betalingen|płatność,płatności|betalning,betalningar|ödeme,ödemesi
bank|banco|bank|banque|banco|banca|bank|bank|bank|banka,bankası
tax|impuesto,impuestos|steuer,steuern|impôt,impôts|imposto,impostos|imposta,tasse|belasting|podatek,podatku|skatt,skatten|vergi,vergisi
employee|empleado,empleados|mitarbeiter|employé,salarié|funcionário|dipendente,dipendenti|medewerker|pracownik,pracownicy|anställd,anställda|çalışan,çalışanlar
user|usuario,usuarios|benutzer,nutzer|utilisateur,utilisateurs|usuário,utilizador|utente,utenti|gebruiker,gebruikers|użytkownik,użytkownicy|användare|kullanıcı,kullanıcılar
search|búsqueda|suche|recherche|pesquisa,busca|ricerca|zoekopdracht|wyszukiwanie|sökning|arama,araması
image|imagen,imágenes|bild,bilder|images|imagem,imagens|immagine,immagini|afbeelding,beeld|obraz,obrazy|bilder|görüntü,resim
photo|foto,fotos|fotos|photos|foto,fotos|foto|foto|zdjęcie,zdjęcia|bilder|fotoğraf
map|mapa,mapas|karte,karten|carte,cartes|mapa,mapas|mappa,mappe|kaart,kaarten|mapa,mapy|karta,kartan|harita,haritası
road|carretera,carreteras|straße,straßen|route|estrada,estradas|strada,strade|weg,wegen|droga,drogi|väg,vägar|yol,yolu
bridge|puente,puentes|brücke,brücken|pont|ponte|ponte|brug,bruggen|most,mostu|bron,broar|köprü,köprüsü
river|río,ríos|fluss,flüsse|rivière,fleuve|rio|fiume|rivier|rzeka,rzeki|älv,älven|nehir,nehri
flood|inundación,inundaciones|hochwasser,überschwemmung|inondation,crue|enchente,cheia|alluvione,piena|overstroming|powódź,powodzi|översvämning|sel,taşkın
rain|lluvia|regen|pluie|chuva|pioggia|regen|deszcz|regn|yağmur
snow|nieve|schnee|neige|neve|neve|sneeuw|śnieg|snö|kar
energy|energía|strom|énergie|energia|energia|stroom|prąd|elförbrukning|enerji
power|potencia|leistung|puissance|potência|potenza|vermogen|moc|effekt|güç
solar|solares|solaranlage|solaire|solares|solare|zonne|słoneczny|solcell,solceller|güneş
battery|batería,baterías|batterie,akku|batterie|bateria,baterias|batteria|batterij,accu|bateria,akumulator|batteri,batteriet|pil,batarya
farm|granja,granjas|bauernhof|ferme|fazenda|fattoria|boerderij|gospodarstwo|gård,gården|çiftlik,çiftliği
crop|cosecha,cultivo,cultivos|ernte|récolte,culture|colheita,safra|raccolto|oogst|plon,plony|skörd,skörden|hasat,hasadı
seed|semilla,semillas|saatgut,samen|semence,graine|semente,sementes|seme,semi|zaad,zaden|nasiona|utsäde,frön|tohum
forest|bosque,bosques|wald,wälder|forêt|floresta|foresta,bosco|bos,bossen|las,lasu|skog,skogen|orman,ormanı
tree|árbol,árboles|baum,bäume|arbre,arbres|árvore,árvores|albero,alberi|boom,bomen|drzewo,drzewa|träd,träden|ağaç,ağaçlar
bird|pájaro,pájaros,aves|vogel,vögel|oiseau,oiseaux|pássaro,pássaros,aves|uccello,uccelli|vogel,vogels|ptak,ptaki,ptaków|fågel,fåglar|kuş,kuşlar
fish|pescado,peces|fisch,fische|poisson,poissons|peixe,peixes|pesce,pesci|vis,vissen|ryba,ryby|fisk,fiskar|balık,balıklar
animal|animales|tier,tiere|animaux|animais|animale,animali|dier,dieren|zwierzę,zwierzęta|djur,djuren|hayvan,hayvanlar
cattle|ganado|rinder,vieh|bétail|gado|bestiame|vee|bydło|boskap|sığır
milk|leche|milch|lait|leite|latte|melk|mleko|mjölk|süt,sütü
coffee|café|kaffee|café|café|caffè|koffie|kawa|kaffe|kahve
wine|vino,vinos|wein,weine|vin,vins|vinho,vinhos|vino,vini|wijn,wijnen|wino|vin,vinet|şarap
beer|cerveza|bier|bière|cerveja|birra|bier|piwo|öl,ölet|bira
kitchen|cocina|küche|cuisine|cozinha|cucina|keuken|kuchnia|kök,köket|mutfak
restaurant|restaurante|gaststätte|restaurant|restaurante|ristorante|restaurant|restauracja|restaurang|restoran,lokanta
menu|carta|speisekarte|carte|cardápio|menù|menukaart|karta|meny,menyn|menü,menüsü
recipe|receta,recetas|rezept,rezepte|recette,recettes|receita,receitas|ricetta,ricette|recept,recepten|przepis,przepisy|recept,recepten|tarif,tarifi
hotel|hoteles|hotels|hôtel|hotéis|albergo|hotels|hotele|hotellet|otel,oteli
room|habitación,habitaciones|zimmer|chambre,chambres|quarto,quartos|camera,camere|kamer,kamers|pokój,pokoje|rum,rummet|oda,odası
flight|vuelo,vuelos|flug,flüge|vol,vols|voo,voos|volo,voli|vlucht,vluchten|lot,lotu|flyg,flyget|uçuş,uçuşu
airport|aeropuerto|flughafen|aéroport|aeroporto|aeroporto|luchthaven|lotnisko|flygplats|havalimanı
train|tren,trenes|zug,züge|train,trains|trem,trens|treno,treni|trein,treinen|pociąg,pociągi|tåg,tåget|tren,treni
station|estación|bahnhof|gare|estação|stazione|station|dworzec,stacja|stationen|istasyon
bus|autobús,autobuses|busse|autobus|ônibus|autobus|bussen|autobus|bussen|otobüs
passenger|pasajero,pasajeros|fahrgast,fahrgäste|passager,passagers|passageiro|passeggero,passeggeri|passagier,reiziger|pasażer,pasażerowie|passagerare|yolcu,yolcular
ship|barco,barcos,buque|schiff,schiffe|navire,bateau|navio,navios|nave,navi|schip,schepen|statek,statki|fartyg|gemi,gemisi
cargo|carga|fracht,ladung|cargaison,fret|carga|carico|vracht,lading|ładunek|frakt,last|kargo,yük
crane|grúa,grúas|kran,kräne|grue,grues|guindaste|gru|kraan,kranen|dźwig,dźwigi|kranen|vinç
parcel|paquete,paquetes|paket,pakete|colis|pacote,encomenda|pacco,pacchi|pakket,pakketten|paczka,paczki|paket,paketet|koli,paket
delivery|entrega,entregas|lieferung,zustellung|livraison,livraisons|entrega,entregas|consegna,consegne|levering,bezorging|dostawa,dostawy|leverans,leveranser|teslimat
shipment|envío,envíos|sendung,sendungen|expédition,envoi|remessa,envio|spedizione|zending|przesyłka,przesyłki|försändelse|sevkiyat,gönderi
route|ruta,rutas|strecke,strecken|itinéraire,trajet|rota,rotas|percorso|traject|trasa,trasy|rutt,rutten|güzergah
student|estudiante,estudiantes,alumno,alumnos|schüler,studenten|étudiant,élève|aluno,alunos|studente,studenti|leerling,leerlingen|uczeń,uczniowie|elev,elever|öğrenci,öğrenciler
course|curso,cursos|kurs,kurse|cours|curso,cursos|corso,corsi|cursus|kurs,kursy|kurs,kursen|ders,dersi
exam|examen,exámenes|prüfung,prüfungen|examen|exame|esame,esami|tentamen|egzamin|tentamen,tentan|sınav,sınavı
grade|notas,calificaciones|noten|notes|notas|voti|cijfers|oceny|betyg|notlar
book|libro,libros|buch,bücher|livre,livres|livro,livros|libro,libri|boek,boeken|książka,książki|bok,böcker|kitap,kitabı
newspaper|periódico|zeitung|journal|jornal|giornale|krant|gazeta|tidning|gazete
translation|traducción|übersetzung|traduction|tradução|traduzione|vertaling|tłumaczenie|översättning|çeviri,çevirisi
subtitle|subtítulos|untertitel|sous-titres|legendas|sottotitoli|ondertitels|napisy|undertexter|altyazı
video|vídeo,vídeos|videos|vidéo|vídeo|video|videos|wideo,filmy|videon|videosu
music|música|musik|musique|música|musica|muziek|muzyka|musik|müzik
painting|pintura,cuadro|gemälde|tableau,peinture|pintura,quadro|dipinto,quadro|schilderij|obraz|målning|tablo,resim
exhibition|exposición|ausstellung|exposition|exposição|mostra|tentoonstelling|wystawa|utställning|sergi,sergisi
church|iglesia|kirche|église|igreja|chiesa|kerk|kościół|kyrka,kyrkan|kilise
parish|parroquia|pfarrei,gemeinde|paroisse|paróquia|parrocchia|parochie|parafia|församling|cemaat
register|padrón|verzeichnis|registre|livro|registro|register|rejestr,księga|register|kayıt,defter
record|expediente,expedientes|akte,akten|dossier,dossiers|prontuário|cartella|dossier|kartoteka|journal,journaler|kayıtlar
telescope|telescopio|fernrohr|télescope|telescópio|telescopio|telescoop|teleskop|teleskop|teleskop
lens|lente|objektiv,linse|lentille,objectif|lente|lente,obiettivo|lens|obiektyw,soczewka|objektiv,lins|mercek,lens
star|estrella,estrellas|stern,sterne|étoile,étoiles|estrela,estrelas|stella,stelle|ster,sterren|gwiazda,gwiazdy|stjärna,stjärnor|yıldız
sky|cielo|himmel|ciel|céu|cielo|hemel|niebo|himmel|gökyüzü
ocean|océano|ozean,meer|océan|oceano|oceano|oceaan|ocean|hav,havet|okyanus
sea|mar|meer|mer|mar|mare|zee|morze|havet|deniz
ice|hielo|eis|glace|gelo|ghiaccio|ijs|lód,lodu|isen|buz
glacier|glaciar|gletscher|glacier|geleira|ghiacciaio|gletsjer|lodowiec|glaciär|buzul
earthquake|terremoto,sismo|erdbeben|séisme|terremoto|terremoto|aardbeving|trzęsienie|jordbävning|deprem
climate|clima|klima|climat|clima|clima|klimaat|klimat|klimat|iklim
air|aire|luft|air|ar|aria|lucht|powietrze|luft|hava
quality|calidad|qualität|qualité|qualidade|qualità|kwaliteit|jakość|kvalitet|kalite
cell|célula,células|zelle,zellen|cellule,cellules|célula,células|cellula,cellule|cel,cellen|komórka,komórki|cell,celler|hücre,hücreleri
gene|gen,genes|gene|gène,gènes|gene,genes|geni|genen|geny|gener|gen,genler
protein|proteína,proteínas|proteine|protéine|proteína|proteina|eiwit|białko,białka|protein|protein
drug|fármaco,medicamento|arzneimittel,medikament|médicament|fármaco,medicamento|farmaco|geneesmiddel|lek,leki|läkemedel|ilaç,ilacı
trial|ensayo,ensayos|studie|essai,essais|ensaio|sperimentazione|proef|badanie|prövning|deneme
sample|muestra,muestras|probe,proben|échantillon,échantillons|amostra,amostras|campione,campioni|monster,monsters|próbka,próbki|prov,proverna|numune,örnek
lab|laboratorio|labor|laboratoire|laboratório|laboratorio|laboratorium|laboratorium|labb,labbet|laboratuvar
measurement|medición,mediciones|messung,messungen|mesure,mesures|medição|misura,misurazione|meting,metingen|pomiar,pomiary|mätning,mätningar|ölçüm,ölçümü
dataset|conjunto|datensatz|jeu|conjunto|insieme|gegevensset|zbiór|datamängd|veri,seti
database|base|datenbank|base|base|base|databank|baza|databas,databasen|veritabanı
server|servidor,servidores|rechner|serveur,serveurs|servidor|serveri|servers|serwer,serwera|servern|sunucu,sunucusu
website|sitio|webseite|site|site|sito|website|strona|webbplats|sitesi
password|contraseña|passwort,kennwort||senha|password|wachtwoord|hasło|lösenord|şifre,parola
mail|correo,correos|post|courrier|correio|posta|post|poczta|post|posta
email|correo|mail|courriel|mail|mail|mail|mejl|mejl|eposta
invitation|invitación|einladung|invitation|convite|invito|uitnodiging|zaproszenie|inbjudan|davet,davetiye
contract|contrato,contratos|vertrag,verträge|contrat,contrats|contrato|contratto|contract|umowa,umowy|avtal,avtalet|sözleşme
license|licencia|lizenz|licence|licença|licenza|licentie|licencja|licens|lisans
audit|auditoría|prüfung|audit|auditoria|revisione|controle|kontrola|revision|denetim
review|revisión|überprüfung|revue|revisão|revisione|beoordeling|przegląd|granskning|inceleme
signoff|visto bueno|abnahme|validation|aprovação|benestare|akkoord|odbiór|godkännande|onay
maintenance|mantenimiento|wartung|entretien,maintenance|manutenção|manutenzione|onderhoud|konserwacja|underhåll|bakım,bakımı
repair|reparación|reparatur|réparation|reparo,conserto|riparazione|reparatie|naprawa|reparation|onarım,tamir
machine|máquina,máquinas|maschine,maschinen|machine|máquina|macchina|machine|maszyna,maszyny|maskin,maskinen|makine,makinesi
factory|fábrica|fabrik,werk|usine|fábrica|fabbrica|fabriek|fabryka|fabrik|fabrika
production|producción|fertigung|production|produção|produzione|productie|produkcja|tillverkning|üretim,üretimi
supply|suministro|versorgung|approvisionnement|abastecimiento|fornitura|bevoorrading|zaopatrzenie|försörjning|tedarik
chain|cadena|kette|chaîne|cadeia|catena|keten|łańcuch|kedja|zincir
waste|residuos|abfall,müll|déchets|resíduos,lixo|rifiuti|afval|odpady|avfall|atık
recycling|reciclaje|recycling|recyclage|reciclagem|riciclo|recycling|recykling|återvinning|
garden|jardín|garten|jardin|jardim|giardino|tuin|ogród|trädgård|bahçe
park|parque|park|parc|parque|parco|park|park|park|park
parking|aparcamiento,estacionamiento|parkplatz|stationnement|estacionamento|parcheggio|parkeren|parking|parkering|otopark
city|ciudad|stadt|ville|cidade|città|stad|miasto|stad,staden|şehir,kent
council|ayuntamiento|stadtrat,gemeinderat|mairie,conseil|câmara|comune|gemeente|urząd,rada|kommun,kommunen|belediye
election|elecciones|wahl,wahlen|élection,élections|eleição|elezioni|verkiezing,verkiezingen|wybory|valet,val|seçim
vote|voto,votos|stimme,stimmen|vote,votes|voto|voto|stem,stemmen|głos,głosy|röst,röster|oy,oylar
census|censo|volkszählung|recensement|censo|censimento|volkstelling|spis|folkräkning|nüfus sayımı
population|población|bevölkerung|population|população|popolazione|bevolking|ludność|befolkning|nüfus
health|salud|gesundheit|santé|saúde|salute|gezondheid|zdrowie|hälsa|sağlık
doctor|médico|arzt,ärztin|médecin|médico|medico|arts|lekarz|läkare|doktor,hekim
nurse|enfermera|pflegekraft|infirmière|enfermeira|infermiere|verpleegkundige|pielęgniarka|sjuksköterska|hemşire
appointment|cita,citas|termin,termine|rendez-vous|consulta|appuntamento|afspraak|wizyta|tid,bokning|randevu
customs|aduana,aduanas|zoll,zölle|douane,douanes|alfândega,alfândegas|dogana,dogane|douane|cło,cła|tull,tullen|gümrük,gümrüğü
import|importación,importaciones|einfuhr|importation|importação,importações|importazione|invoer|importu|importen|ithalat,ithalatı
cheese|queso,quesos|käse|fromage,fromages|queijo,queijos|formaggio,formaggi|kaas,kazen|serów|osten|peynir,peyniri
cave|cueva,cuevas|höhle,höhlen|grotte,grottes|gruta,caverna|grotta,grotte|grot,grotten|jaskinia,jaskini|grottan|mağara,mağarası
choir|coro,coros|chor,chöre|chœur,chorale|coral,coro|coro|koor|chór,chóru|kören|koro,korosu
genome|genoma,genomas|genoms|génome,génomes|genoma,genomas|genoma,genomi|genoom|genomu|genomet|genomu
scheduler|planificador|planer,zeitplaner|planificateur|agendador|pianificatore|planningstool|planista|schemaläggare|zamanlayıcı
lift|telesilla,remonte|skilift,sessellift|télésiège,remontée|teleférico,teleféricos|seggiovia|skilift|wyciąg,wyciągu|skidlift,skidliften|teleferik
alignment|alineamiento,alineación|ausrichtung|alignement|alinhamento|allineamento|uitlijning|dopasowanie|justering,justeringen|hizalama
shift|turno,turnos|schicht,schichten|équipe|turno|turno|dienst|zmiana|skift|vardiya
staff|personal|personal|personnel|pessoal|personale|personeel|personel|personal|personel
engine|motor,motores|antrieb,triebwerk|moteur,moteurs|motores|motore,motori|motoren|silnik,silnika,silniki|motorn|motoru
reconciliation|conciliación,cuadre|abgleich,abgleichs|rapprochement|conciliação|riconciliazione,quadratura|afstemming|uzgodnienie,uzgodnienia,uzgadnianie|avstämning,avstämningen|mutabakat,mutabakatı
match|cotejo|abgleich,abgleichen|appariement|correspondência|abbinamento|koppeling|dopasowanie,dopasowania|matchning,matchningen|eşleştirme
credit|crédito,créditos|zertifikat,zertifikate,gutschrift|crédit,crédits|crédito,créditos|credito,crediti|tegoed||krediter|kredisi
carbon|carbono|kohlenstoff|carbone|carbono|carbonio|koolstof|węgiel,węgla|koldioxid|karbon
smoke|humo|rauch|fumée|fumaça|fumo|rook|dymu|röken|duman,dumanı
wildfire|incendio,incendios|waldbrand,waldbrände|incendie,incendies|incêndio,incêndios|incendio,incendi|bosbrand|pożar,pożaru,pożary|skogsbrand,skogsbranden|yangın,yangını
locker|taquilla,taquillas,casillero,casilleros|schließfach,schließfächer,packstation,packstationen|casier,casiers|cacifo,cacifos|armadietto,armadietti|kluisje,kluisjes,pakketautomaat|paczkomat,paczkomaty,paczkomatów,paczkomatu,paczkomatach,skrytka|skåp,skåpet,paketskåp|dolap,dolabı
cutover|conmutación|umstellung,produktionsumstellung,umschaltung|bascule,basculement|virada||omschakeling,overstap|przełączenie,przełączenia|övergång,övergången|geçiş,geçişi
curator|curador,curadores|kurator,kuratoren,kuratorin|conservateur,conservatrice|curador,curadores|curatore,curatori||kurator,kuratora,kuratorów|kurator,kuratorn,kuratorns,kuratorer|küratör,küratörü
herd|rebaño|herde|troupeau|rebanho|mandria|kudde|stado,stada|hjord,hjorden|sürü,sürüsü
grading|calificación|benotung|||beoordeling|ocenianie,oceniania|betygsättning|notlandırma
bike|bici,bicis,bicicleta,bicicletas|fahrrad,fahrräder,fahrrads|vélo,vélos,bicyclette,bicyclettes|bicicleta,bicicletas|bici,bicicletta,biciclette|fiets,fietsen|rower,rowery,rowerów,roweru,rowerowy,rowerowego|cykel,cykeln,cyklar,cyklarna|bisiklet,bisikleti,bisikletler
planner|planificador,planificadores|planer,planers|planificateur|planejador,planeador|pianificatore|planner|planer,planera,planerze|planerare,planeraren|planlayıcı,planlayıcısı,planlayıcıyı,planlayıcısını
pharmacy|farmacia,farmacias|apotheke,apotheken|pharmacie,pharmacies|farmácia,farmácias|farmacia,farmacie|apotheek,apotheken|apteka,apteki,aptece,aptekę|apotek,apoteket,apoteks|eczane,eczanesi,eczaneler,eczanenin
cookbook|recetario|kochbuch,kochbuchs,kochbücher|||ricettario|kookboek,kookboeken||kokbok,kokboken|
glossary|glosario,glosarios|glossar,glossars|glossaire,glossaires|glossário|glossario,glossari|woordenlijst|słownik,słownika,słowniczek|ordlista,ordlistan|sözlük,sözlüğü
league|liga,ligas|liga,ligen|ligue,ligues|liga,ligas|lega,leghe|competitie|liga,ligi,ligowy|ligan,ligor|ligi,ligin,ligde
youth|juvenil,juveniles|jugend,jugendliga|jeunesse|juvenil,juvenis|giovanile,giovanili|jeugd|młodzieżowa,młodzieżowej,młodzieżowy|ungdom,ungdoms|gençlik
"""

# Forms that are English words or a language's everyday words that name nothing ("tiempo" is
# also "time", "carta" a letter, "base" English, "post" English, "tid" a time): never a name.
_NOT_DISTINCTIVE = frozenset(
    {"tiempo", "tempo", "carta", "base", "post", "park", "bank", "video", "audit", "licence"}
    | {"version", "route", "journal", "register", "station", "dossier", "contract", "machine"}
    | {"image", "images", "photos", "budget", "restaurant", "hotels", "sensores", "conjunto"}
    | {"personal", "personeel", "personel", "personale", "personnel", "pessoal", "dienst"}
    | {"termin", "stem", "vote", "votes", "monster", "probe", "proef", "studie", "laden"}
    | {"stroom", "strom", "hava", "tarif", "tarifi", "ders", "notes", "karta"}
    | {"kurs", "labor", "planning", "schema", "agenda", "site", "sito", "mail", "posta"}
    | {"client", "clients", "patient", "protein", "water", "museum"}
    | {"tunnel", "school", "bedden", "wind", "gene", "cell", "solares", "solare", "zonne"}
    | {"stocks", "most", "hasta", "arts", "vent", "pain", "brood", "port", "haven", "stern"}
    | {"mare", "aria", "boom", "tier", "bier", "vino", "camera", "quarto", "nave", "fret", "last"}
    | {"envoi", "rota", "filmy", "salute", "obiettivo", "objectif", "équipe", "zmiana", "latte"}
    | {"café", "cuisine", "kent", "valet", "ferme", "culture", "samen", "alas", "balsa", "stella"}
    | {"meer", "weer", "durumu", "solo", "solos", "seguro", "assurance", "compilation", "montée"}
    | {"chaîne", "approbation", "boutique", "cena", "revision", "reparation", "muestra"}
    | {"insieme", "seti", "wegen", "registro"}
)
# ("lager" is an English beer too, and "copia" any copy: but "das Lager" and "la copia" are what
# people call the warehouse and the backup, and a task's name is no beer.)
_MIN_LENGTH = 4


def _read(table: str) -> dict[str, tuple[str, ...]]:
    english_words: set[str] = set()
    rows: list[tuple[str, list[str]]] = []
    for line in table.strip().splitlines():
        english, *cells = line.split("|")
        english_words.add(english)
        rows.append((english, [f.strip() for cell in cells for f in cell.split(",")]))
    found: dict[str, list[str]] = {}
    for english, forms in rows:
        for form in forms:
            if (
                len(form) < _MIN_LENGTH
                or " " in form  # (a phrase is two words of a message: neither names alone)
                or form in english_words
                or (form.endswith("s") and form[:-1] in english_words)  # "trains", "clients"
                or form in _NOT_DISTINCTIVE
                or form in FOREIGN_WORDS
            ):
                continue
            if english not in found.setdefault(form, []):
                found[form].append(english)
    return {form: tuple(words) for form, words in found.items()}


# Each foreign form → the English words it translates.
TRANSLATIONS: dict[str, tuple[str, ...]] = _read(_TABLE)
# First parts of compounds that are no word alone, or an everyday word alone (the Swedish
# "genom" is also "through"): read only as a compound's head ("genom|körningen", "uitlijn|stap",
# "löne|körning").
_FIRST_PARTS: dict[str, tuple[str, ...]] = {
    "genom": ("genome",),
    "uitlijn": ("alignment",),
    "löne": ("payroll", "salary"),
}
# First parts of three letters, read only before a long rest ("rök|modellen", "rök|simuleringen"):
# the compound loops above never cut a head so short.
_SHORT_FIRST_PARTS: dict[str, tuple[str, ...]] = {"rök": ("smoke",)}
# Two glossary words of four letters each may make a compound when both are known ("kaas|grot",
# "tull|importen"): a short part alone meets words by accident, two known parts do not.
_MIN_KNOWN_PART = 4
# A compound's part that may be a glossary word: this long at least, and the rest of the word
# at least a short word's length ("Wetter|bericht", "lager|bestand", "säkerhets|kopia").
_MIN_PART = 5
_MIN_REST = 3


@lru_cache(maxsize=8192)
def translations(word: str) -> tuple[str, ...]:
    """The English words `word` translates ("fahrplan" → "timetable"), or the last part of it
    when it is a compound (a German, Dutch or Swedish compound ends in its head: "Wetterbericht"
    is a report) and its first part ("Wetter": of the weather); () when it is no word of the
    glossary."""
    found = TRANSLATIONS.get(word)
    if found is not None:
        return found
    if len(word) < _MIN_PART + _MIN_REST or not word.isalpha():
        return ()
    for cut in range(_MIN_KNOWN_PART, len(word) - _MIN_KNOWN_PART + 1):
        first, rest = word[:cut], word[cut:]
        head_words = _first_part(first) or (
            _first_part(first[:-1]) if first.endswith("s") and cut > _MIN_KNOWN_PART else ()
        )
        if head_words and (rest_words := TRANSLATIONS.get(rest)):
            return rest_words + tuple(w for w in head_words if w not in rest_words)
    # (the head, and what the first part adds: "Wetter|bericht" is a report of the weather)
    tail: tuple[str, ...] = ()
    for cut in range(_MIN_REST, len(word) - _MIN_PART + 1):
        if (found := TRANSLATIONS.get(word[cut:])) is not None:
            tail = found
            break
    for cut in range(len(word) - _MIN_REST, _MIN_PART - 1, -1):
        head = word[:cut]
        found = _first_part(head) or None
        if found is None and head.endswith("s"):  # a German linking s: "Sicherungs|job"
            found = _first_part(head[:-1]) or None
        if found is not None:
            return tail + tuple(w for w in found if w not in tail)
    # (a first part shorter than a glossary word's, listed as a first part: "rök|modellen")
    for head, found in _SHORT_FIRST_PARTS.items():
        if word.startswith(head) and len(word) - len(head) >= _MIN_PART:
            return tail + tuple(w for w in found if w not in tail)
    return tail


def _first_part(part: str) -> tuple[str, ...]:
    """The English words a compound's first part translates (a glossary word, or a first part
    that is no word alone); () when it is neither."""
    return TRANSLATIONS.get(part) or _FIRST_PARTS.get(part, ())
