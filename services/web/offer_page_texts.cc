// The citizens' page in every template language: one table of texts per language.
#include "services/web/offer_page_texts.h"

namespace rebook::web::internal {

bool IsPageLanguage(const std::string& lang) {
  for (const char* l : kPageLanguages) {
    if (lang == l) return true;
  }
  return false;
}

const PageTextTable& PageTexts(const std::string& lang) {
  static const PageTextTable kDe = {
      {"title", "Ihr neuer Termin"},
      {"accept_label", "Termin annehmen"},
      {"decline_label", "Termin ablehnen"},
      {"other_label", "Anderer Termin"},
      {"other_button", "Andere Zeit anfragen"},
      {"unavailable_label", "Zu diesen Zeiten kann ich nicht (optional, Ortszeit):"},
      {"expires", "Bitte antworten Sie bis "},
      {"open", "Dieser Termin ist für Sie reserviert."},
      {"accepted", "Sie haben den Termin angenommen. Eine Bestätigung folgt."},
      {"declined", "Sie haben den Termin abgelehnt. Wir melden uns mit einem neuen Angebot."},
      {"other", "Wir suchen eine andere Zeit für Sie und melden uns."},
      {"expired", "Dieses Angebot ist abgelaufen. Wir melden uns mit einem neuen Angebot."},
      {"withdrawn", "Dieses Angebot wurde zurückgezogen."},
      {"repeated", "Ihre Antwort lag uns bereits vor; es hat sich nichts geändert."},
      {"error_title", "Das hat nicht geklappt"},
      {"error_hint", "Bei Fragen wenden Sie sich bitte an Ihr Bürgerbüro."},
      {"contact_label", "Kontakt"},
      {"imprint_label", "Impressum"},
      {"privacy_label", "Datenschutz"},
      {"privacy_text",
       "Diese Seite setzt keine Cookies. Ihre Antwort wird nur verarbeitet, um Ihren Termin "
       "neu zu vergeben, und mit Ihrem Vorgang gespeichert."},
      {"err_not_found",
       "Diesen Link kennen wir nicht. Bitte prüfen Sie die Adresse oder scannen Sie den "
       "QR-Code im Brief noch einmal."},
      {"err_conflict",
       "Dieses Angebot kann nicht mehr so beantwortet werden: Es ist abgelaufen, wurde "
       "zurückgezogen oder bereits anders beantwortet, oder der gewählte Termin ist vergeben."},
      {"err_invalid", "Ihre Angaben sind unvollständig oder ungültig. Bitte prüfen Sie sie."},
      {"err_busy", "Der Dienst ist gerade ausgelastet. Bitte versuchen Sie es gleich noch einmal."},
      {"err_other", "Etwas ist schiefgegangen. Bitte versuchen Sie es später noch einmal."},
  };
  static const PageTextTable kEn = {
      {"title", "Your new appointment"},
      {"accept_label", "Accept this appointment"},
      {"decline_label", "Decline this appointment"},
      {"other_label", "Another time"},
      {"other_button", "Ask for another time"},
      {"unavailable_label", "I cannot come at these times (optional, local time):"},
      {"expires", "Please answer by "},
      {"open", "This appointment is held for you."},
      {"accepted", "You accepted the appointment. A confirmation follows."},
      {"declined", "You declined the appointment. We will send you a new offer."},
      {"other", "We are looking for another time for you and will be in touch."},
      {"expired", "This offer has expired. We will send you a new offer."},
      {"withdrawn", "This offer was withdrawn."},
      {"repeated", "We already had your answer; nothing has changed."},
      {"error_title", "That did not work"},
      {"error_hint", "If you have questions, please contact your citizen office."},
      {"contact_label", "Contact"},
      {"imprint_label", "Legal notice (Impressum)"},
      {"privacy_label", "Privacy notice"},
      {"privacy_text",
       "This page sets no cookies. Your answer is used only to rebook your appointment and is "
       "kept with your case."},
      {"err_not_found",
       "We do not know this link. Please check the address or scan the QR code in the letter "
       "again."},
      {"err_conflict",
       "This offer cannot be answered like this any more: it expired, was withdrawn or "
       "answered differently, or the chosen time has been taken."},
      {"err_invalid", "Some of your input is missing or invalid. Please check it."},
      {"err_busy", "The service is busy right now. Please try again in a moment."},
      {"err_other", "Something went wrong. Please try again later."},
  };
  static const PageTextTable kTr = {
      {"title", "Yeni randevunuz"},
      {"accept_label", "Randevuyu kabul et"},
      {"decline_label", "Randevuyu reddet"},
      {"other_label", "Başka bir randevu"},
      {"other_button", "Başka bir saat iste"},
      {"unavailable_label", "Bu saatlerde gelemem (isteğe bağlı, yerel saat):"},
      {"expires", "Lütfen şu tarihe kadar yanıtlayın: "},
      {"open", "Bu randevu sizin için ayrıldı."},
      {"accepted", "Randevuyu kabul ettiniz. Onay ayrıca gönderilecek."},
      {"declined", "Randevuyu reddettiniz. Size yeni bir teklif göndereceğiz."},
      {"other", "Sizin için başka bir saat arıyoruz ve size haber vereceğiz."},
      {"expired", "Bu teklifin süresi doldu. Size yeni bir teklif göndereceğiz."},
      {"withdrawn", "Bu teklif geri çekildi."},
      {"repeated", "Yanıtınız zaten elimizdeydi; hiçbir şey değişmedi."},
      {"error_title", "Bu işlem olmadı"},
      {"error_hint", "Sorularınız için lütfen vatandaşlık bürosuna başvurun."},
      {"contact_label", "İletişim"},
      {"imprint_label", "Künye (Impressum)"},
      {"privacy_label", "Veri koruma"},
      {"privacy_text",
       "Bu sayfa çerez kullanmaz. Yanıtınız yalnızca randevunuzu yeniden vermek için işlenir ve "
       "dosyanızda saklanır."},
      {"err_not_found",
       "Bu bağlantıyı tanımıyoruz. Lütfen adresi kontrol edin veya mektuptaki QR kodunu yeniden "
       "tarayın."},
      {"err_conflict",
       "Bu teklif artık bu şekilde yanıtlanamaz: süresi doldu, geri çekildi, farklı yanıtlandı "
       "veya seçilen saat başkasına verildi."},
      {"err_invalid", "Bilgileriniz eksik veya geçersiz. Lütfen kontrol edin."},
      {"err_busy", "Hizmet şu anda yoğun. Lütfen birazdan tekrar deneyin."},
      {"err_other", "Bir şeyler ters gitti. Lütfen daha sonra tekrar deneyin."},
  };
  static const PageTextTable kAr = {
      {"title", "موعدك الجديد"},
      {"accept_label", "قبول الموعد"},
      {"decline_label", "رفض الموعد"},
      {"other_label", "موعد آخر"},
      {"other_button", "طلب وقت آخر"},
      {"unavailable_label", "لا أستطيع الحضور في هذه الأوقات (اختياري، بالتوقيت المحلي):"},
      {"expires", "يرجى الرد حتى "},
      {"open", "هذا الموعد محجوز لك."},
      {"accepted", "لقد قبلت الموعد. سيصلك تأكيد."},
      {"declined", "لقد رفضت الموعد. سنرسل لك عرضًا جديدًا."},
      {"other", "نبحث لك عن وقت آخر وسنتواصل معك."},
      {"expired", "انتهت صلاحية هذا العرض. سنرسل لك عرضًا جديدًا."},
      {"withdrawn", "تم سحب هذا العرض."},
      {"repeated", "لقد وصلنا ردك من قبل؛ لم يتغير شيء."},
      {"error_title", "لم ينجح ذلك"},
      {"error_hint", "إذا كانت لديك أسئلة، يرجى التواصل مع مكتب خدمة المواطنين."},
      {"contact_label", "التواصل"},
      {"imprint_label", "بيانات الناشر (Impressum)"},
      {"privacy_label", "حماية البيانات"},
      {"privacy_text",
       "لا تستخدم هذه الصفحة ملفات تعريف الارتباط. يُستخدم ردك فقط لإعادة حجز موعدك ويُحفظ مع "
       "معاملتك."},
      {"err_not_found",
       "لا نعرف هذا الرابط. يرجى التحقق من العنوان أو مسح رمز QR في الرسالة مرة أخرى."},
      {"err_conflict",
       "لم يعد من الممكن الرد على هذا العرض بهذه الطريقة: انتهت صلاحيته أو سُحب أو تم الرد عليه "
       "بشكل آخر، أو أن الوقت المختار قد حُجز."},
      {"err_invalid", "بياناتك ناقصة أو غير صالحة. يرجى التحقق منها."},
      {"err_busy", "الخدمة مشغولة حاليًا. يرجى المحاولة مرة أخرى بعد قليل."},
      {"err_other", "حدث خطأ ما. يرجى المحاولة لاحقًا."},
  };
  static const PageTextTable kRu = {
      {"title", "Ваша новая запись"},
      {"accept_label", "Принять запись"},
      {"decline_label", "Отказаться от записи"},
      {"other_label", "Другое время"},
      {"other_button", "Попросить другое время"},
      {"unavailable_label", "В это время я не могу (необязательно, местное время):"},
      {"expires", "Пожалуйста, ответьте до "},
      {"open", "Эта запись сохранена за вами."},
      {"accepted", "Вы приняли запись. Подтверждение придёт отдельно."},
      {"declined", "Вы отказались от записи. Мы пришлём вам новое предложение."},
      {"other", "Мы ищем для вас другое время и свяжемся с вами."},
      {"expired", "Срок этого предложения истёк. Мы пришлём вам новое предложение."},
      {"withdrawn", "Это предложение отозвано."},
      {"repeated", "Ваш ответ у нас уже был; ничего не изменилось."},
      {"error_title", "Не получилось"},
      {"error_hint", "С вопросами обращайтесь, пожалуйста, в ваше бюро по работе с гражданами."},
      {"contact_label", "Контакты"},
      {"imprint_label", "Выходные данные (Impressum)"},
      {"privacy_label", "Защита данных"},
      {"privacy_text",
       "Эта страница не использует файлы cookie. Ваш ответ используется только для новой записи и "
       "хранится в вашем деле."},
      {"err_not_found",
       "Мы не знаем эту ссылку. Проверьте адрес или ещё раз отсканируйте QR-код в письме."},
      {"err_conflict",
       "На это предложение больше нельзя ответить так: срок истёк, оно отозвано или на него уже "
       "ответили иначе, либо выбранное время занято."},
      {"err_invalid", "Ваши данные неполны или неверны. Пожалуйста, проверьте их."},
      {"err_busy", "Сервис сейчас перегружен. Пожалуйста, попробуйте ещё раз через минуту."},
      {"err_other", "Что-то пошло не так. Пожалуйста, попробуйте позже."},
  };
  static const PageTextTable kUk = {
      {"title", "Ваш новий запис"},
      {"accept_label", "Прийняти запис"},
      {"decline_label", "Відмовитися від запису"},
      {"other_label", "Інший час"},
      {"other_button", "Попросити інший час"},
      {"unavailable_label", "У цей час я не можу (необов’язково, місцевий час):"},
      {"expires", "Будь ласка, дайте відповідь до "},
      {"open", "Цей запис збережено за вами."},
      {"accepted", "Ви прийняли запис. Підтвердження надійде окремо."},
      {"declined", "Ви відмовилися від запису. Ми надішлемо вам нову пропозицію."},
      {"other", "Ми шукаємо для вас інший час і зв’яжемося з вами."},
      {"expired", "Термін цієї пропозиції минув. Ми надішлемо вам нову пропозицію."},
      {"withdrawn", "Цю пропозицію відкликано."},
      {"repeated", "Ваша відповідь у нас уже була; нічого не змінилося."},
      {"error_title", "Не вдалося"},
      {"error_hint",
       "З питаннями звертайтеся, будь ласка, до вашого бюро обслуговування громадян."},
      {"contact_label", "Контакти"},
      {"imprint_label", "Вихідні дані (Impressum)"},
      {"privacy_label", "Захист даних"},
      {"privacy_text",
       "Ця сторінка не використовує файли cookie. Вашу відповідь використовують лише для нового "
       "запису і зберігають у вашій справі."},
      {"err_not_found",
       "Ми не знаємо цього посилання. Перевірте адресу або ще раз відскануйте QR-код у листі."},
      {"err_conflict",
       "На цю пропозицію більше не можна відповісти так: термін минув, її відкликано або на неї "
       "вже відповіли інакше, або обраний час зайнято."},
      {"err_invalid", "Ваші дані неповні або недійсні. Будь ласка, перевірте їх."},
      {"err_busy", "Сервіс зараз перевантажений. Будь ласка, спробуйте ще раз за хвилину."},
      {"err_other", "Щось пішло не так. Будь ласка, спробуйте пізніше."},
  };
  if (lang == "de") return kDe;
  if (lang == "tr") return kTr;
  if (lang == "ar") return kAr;
  if (lang == "ru") return kRu;
  if (lang == "uk") return kUk;
  return kEn;
}

}  // namespace rebook::web::internal
